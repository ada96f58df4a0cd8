// Package source opens the SQL databases metrics are read from and runs their queries, each
// one read-only statement in a clean session, turning result rows into samples without
// keeping the rows.
package source

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/sqlcheck"
)

// Source is an open database pool. Its errors never contain the DSN or the password.
type Source struct {
	Name   string
	Driver string
	db     *sql.DB
	// connector opens side connections, used to cancel a running statement on MySQL.
	connector driver.Connector
	redact    redactor
	dialect   sqlcheck.Dialect
	// allowPrivileged lets privileged roles run (allow_privileged on the source).
	allowPrivileged bool
	// writeChecked and canWrite hold whether the role can change tables, once checked.
	writeChecked, canWrite atomic.Bool
	// timer is which statement timer a MySQL-protocol server has, once found (see mysqlTimer).
	timer atomic.Int32
	// skipKill and skipTimer turn one MySQL guard off, so tests show the other alone suffices.
	skipKill, skipTimer bool
}

// Env lets callers (and tests) choose where ${VAR} and dsn_file are read from.
type Env struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
}

// OSEnv reads the process environment and the file system.
func OSEnv() Env { return Env{Getenv: os.Getenv, ReadFile: os.ReadFile} }

// Open resolves the source's DSN and prepares a bounded pool. It does not connect: a database
// that is down at start only shows in the first queries, so the exporter can still start.
func Open(s *definition.Source, env Env) (*Source, error) {
	dsn, err := s.ResolveDSN(env.Getenv, env.ReadFile)
	if err != nil {
		return nil, err
	}
	c, secrets, err := connector(s.Driver, dsn)
	if err != nil {
		r := newRedactor(dsn)
		return nil, fmt.Errorf("source %q: %w", s.Name, r.err(err))
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(maxOpen(s))
	db.SetMaxIdleConns(maxOpen(s))
	db.SetConnMaxIdleTime(5 * time.Minute)
	d, _ := sqlcheck.ForDriver(s.Driver) // connector refused unknown drivers
	return &Source{Name: s.Name, Driver: s.Driver, db: db, connector: c, redact: newRedactor(append(secrets, dsn)...),
		dialect: d, allowPrivileged: s.AllowPrivileged}, nil
}

// CanWrite reports whether the source's role can change tables (known once a run has
// checked; SQLite sources are opened read-only and never can). Such a source runs, since
// kpic's own guards stop writes, but a stricter role is safer.
func (s *Source) CanWrite() (can, known bool) {
	if s.Driver == "sqlite" {
		return false, true
	}
	return s.canWrite.Load(), s.writeChecked.Load()
}

func (s *Source) setCanWrite(can bool) {
	s.canWrite.Store(can)
	s.writeChecked.Store(true)
}

// noteGrants records what a check of the role's grants found.
func (s *Source) noteGrants(canWrite bool) { s.setCanWrite(canWrite) }

// maxOpen is the pool bound: the configured one, or 2 so a slow query leaves room for another.
func maxOpen(s *definition.Source) int {
	if s.MaxOpenConns > 0 {
		return s.MaxOpenConns
	}
	return 2
}

// Close releases the pool; running queries finish or are cancelled by their contexts first.
func (s *Source) Close() error { return s.db.Close() }

// DB exposes the pool for benchmarks and tests that compare against raw driver scans.
func (s *Source) DB() *sql.DB { return s.db }

// Ping checks that the database answers, with its error redacted.
func (s *Source) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return &Error{Reason: ReasonConnection, Err: s.redact.err(err)}
	}
	return nil
}
