package source

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kpic/kpic/internal/sqlcheck"
	"modernc.org/sqlite"
)

// sqliteLimitLength is SQLITE_LIMIT_LENGTH, the largest string or blob a statement may make.
const sqliteLimitLength = 0

// Query is one SQL statement to run, and which of its columns to read.
type Query struct {
	Name string
	SQL  string
	// Labels are the columns whose values become labels, in this order; `value` is the sample.
	Labels  []string
	Timeout time.Duration
}

// Stats counts what one run saw.
type Stats struct {
	Rows       int // rows returned by the database
	Null       int // rows skipped because the value was NULL
	NonNumeric int // rows skipped because the value was not a number
	LongLabel  int // rows skipped because a label value was longer than MaxLabelBytes
}

// Visit receives each usable row: the label values in Query.Labels order and the sample. The
// label bytes are only valid until Visit returns.
type Visit func(labels [][]byte, value float64)

// Run executes q, one read-only statement, bounded by q.Timeout, and streams its rows to
// visit. The text is refused unless sqlcheck accepts it; the run is refused when the source's
// role is privileged; the session is left clean for the next run (see release). A timed-out
// statement is cancelled in the database, not only abandoned. Failures are *Error with a
// reason, except when ctx itself is cancelled (shutdown or reload).
func (s *Source) Run(ctx context.Context, q Query, visit Visit) (Stats, error) {
	stmt, err := sqlcheck.Statement(q.SQL, s.dialect)
	if err != nil {
		return Stats{}, &Error{Reason: ReasonRefused, Err: fmt.Errorf("query refused: %w", err)}
	}
	return s.run(ctx, stmt, q, visit)
}

// run executes stmt, already checked, for Run.
func (s *Source) run(ctx context.Context, stmt string, q Query, visit Visit) (Stats, error) {
	qctx, cancel := context.WithTimeout(ctx, q.Timeout)
	defer cancel()
	conn, err := s.db.Conn(qctx)
	if err != nil {
		return Stats{}, s.fail(ctx, qctx, ReasonConnection, err)
	}
	clean := false
	defer func() { s.release(conn, clean) }()
	st, reason, err := s.session(qctx, conn, stmt, q, visit)
	if err != nil {
		return st, s.fail(ctx, qctx, reason, err)
	}
	clean = true
	return st, nil
}

// session runs the statement on conn: in a read-only transaction on PostgreSQL and MySQL,
// as a single statement on SQLite (whose authorizer refuses transaction control).
func (s *Source) session(ctx context.Context, conn *sql.Conn, stmt string, q Query, visit Visit) (Stats, string, error) {
	if s.Driver == "sqlite" {
		if _, err := sqlite.Limit(conn, sqliteLimitLength, MaxRowBytes); err != nil {
			return Stats{}, ReasonConnection, err
		}
		st, err := s.read(ctx, conn, stmt, q, visit)
		return st, ReasonQuery, err
	}
	if err := s.readOnlySession(ctx, conn); err != nil {
		return Stats{}, ReasonConnection, err
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Stats{}, ReasonConnection, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only: there is nothing to keep
	if err := s.privileges(ctx, tx); err != nil {
		if errors.Is(err, errPrivileged) {
			return Stats{}, ReasonPrivileged, err
		}
		return Stats{}, ReasonConnection, err
	}
	stop, err := s.guard(ctx, tx, q.Timeout)
	if err != nil {
		return Stats{}, ReasonQuery, err
	}
	st, err := s.read(ctx, tx, stmt, q, visit)
	if kerr := stop(); kerr != nil {
		err = fmt.Errorf("%w; cancelling the statement in the database failed: %w", err, kerr)
	}
	return st, ReasonQuery, err
}

// read runs the statement and scans every row.
func (s *Source) read(ctx context.Context, db querier, stmt string, q Query, visit Visit) (Stats, error) {
	rows, err := db.QueryContext(ctx, stmt)
	if err != nil {
		return Stats{}, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return Stats{}, err
	}
	cols, err := mapColumns(names, q.Labels)
	if err != nil {
		return Stats{}, err
	}
	return scan(rows, cols, visit)
}

// fail classifies err (timeout beats the given reason) and redacts it. A cancelled parent
// context is returned as is: the run was abandoned, not failed.
func (s *Source) fail(parent, qctx context.Context, reason string, err error) error {
	if parent.Err() != nil {
		return parent.Err()
	}
	var ce *columnsError
	switch {
	case errors.As(err, &ce):
		reason = ReasonColumns
	case errors.Is(qctx.Err(), context.DeadlineExceeded) || serverTimeout(err):
		return &Error{Reason: ReasonTimeout, Err: fmt.Errorf("query timed out: %w", s.redact.err(err))}
	}
	return &Error{Reason: reason, Err: s.redact.err(err)}
}

// serverTimeout reports a statement the server stopped on its own timer: PostgreSQL's
// statement_timeout (SQLSTATE 57014, query_canceled, which our cancel request also causes),
// MySQL's max_execution_time (3024) and MariaDB's max_statement_time (1969).
func serverTimeout(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57014"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 3024 || me.Number == 1969
	}
	return false
}
