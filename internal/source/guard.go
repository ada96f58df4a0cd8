package source

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
)

// guard makes the database itself stop the statement at the timeout: PostgreSQL through a
// transaction-local statement_timeout (its cancel request is sent too, see postgresConnector);
// MySQL and MariaDB through their own statement timer (see mysqlTimer) and KILL CONNECTION from
// a side connection, since dropping the client connection does not stop a running statement
// there. Either alone stops it: the timer when no side connection can be opened (a full server),
// the kill on servers without a timer. KILL QUERY would miss a statement still in flight when
// the kill arrives; the connection is discarded on timeout anyway. The returned stop waits for
// a kill in progress, so the connection is never reused while it is being killed, and reports
// a kill that failed.
func (s *Source) guard(ctx context.Context, tx *sql.Tx, timeout time.Duration) (stop func() error, err error) {
	switch s.Driver {
	case "postgres":
		_, err := tx.ExecContext(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", timeout.Milliseconds()))
		return func() error { return nil }, err
	case "mysql":
		if !s.skipTimer {
			if err := s.mysqlTimer(ctx, tx, timeout); err != nil {
				return nil, err
			}
		}
		return s.killOnTimeout(ctx, tx)
	}
	return func() error { return nil }, nil
}

// Server timers, in the order tried: which one the server has is remembered in Source.timer.
const (
	timerUnknown = iota
	timerMariaDB // max_statement_time, seconds, every statement
	timerMySQL   // max_execution_time, milliseconds, read-only SELECTs (all a run is allowed)
	timerNone    // neither variable exists: the kill alone stops the statement
)

// Server errors: a system variable the server does not have, a connection id that has ended.
const (
	errUnknownVariable = 1193
	errUnknownThread   = 1094
)

// timerMargin is how long after the run's deadline the server's own timer fires. The client
// gives up first, so the run fails as a timeout whatever the server then returns: interrupted,
// SLEEP and BENCHMARK return a value, not an error.
const timerMargin = time.Second

// mysqlTimer sets the session's statement timer to fire timerMargin after the run's deadline,
// MariaDB's variable first, then MySQL's. The session ends with the run (release closes MySQL
// connections), so the setting leaks nowhere.
func (s *Source) mysqlTimer(ctx context.Context, tx *sql.Tx, timeout time.Duration) error {
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d)
	}
	timeout += timerMargin
	for t := max(s.timer.Load(), timerMariaDB); t < timerNone; t++ {
		_, err := tx.ExecContext(ctx, timerStatement(t, timeout))
		var me *mysql.MySQLError
		if errors.As(err, &me) && me.Number == errUnknownVariable {
			continue
		}
		if err == nil {
			s.timer.Store(t)
		}
		return err
	}
	s.timer.Store(timerNone)
	return nil
}

// timerStatement sets the session's statement timer t (timerMariaDB or timerMySQL) to timeout.
func timerStatement(t int32, timeout time.Duration) string {
	if t == timerMariaDB {
		return fmt.Sprintf("SET SESSION max_statement_time = %.3f", timeout.Seconds())
	}
	return fmt.Sprintf("SET SESSION max_execution_time = %d", max(timeout.Milliseconds(), 1))
}

func (s *Source) killOnTimeout(ctx context.Context, tx *sql.Tx) (func() error, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	var killErr error
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		if ctx.Err() == context.DeadlineExceeded && !s.skipKill {
			killErr = s.kill(id)
		}
	})
	return func() error {
		if !stop() {
			<-done
			return killErr
		}
		// f never ran, yet the deadline may have passed: the driver can see the context done,
		// close the connection and return the query's error before the context starts its
		// AfterFuncs. The statement still runs on the server then, so kill it here.
		if ctx.Err() == context.DeadlineExceeded && !s.skipKill {
			return s.kill(id)
		}
		return nil
	}, nil
}

// readOnlySession makes a MySQL connection read-only for every later transaction too: DDL
// commits the current transaction implicitly, so READ ONLY on the transaction alone would not
// stop a DROP.
func (s *Source) readOnlySession(ctx context.Context, conn *sql.Conn) error {
	if s.Driver != "mysql" {
		return nil
	}
	_, err := conn.ExecContext(ctx, "SET SESSION TRANSACTION READ ONLY")
	return err
}

// release returns conn to the pool with nothing of the run left on it, or closes it. After a
// clean PostgreSQL run, DISCARD ALL drops the session's settings, temporary tables, prepared
// statements, LISTENs and advisory locks; any other connection is closed (MySQL and MariaDB
// locks, variables and temporary tables end with the session; SQLite connections are cheap).
func (s *Source) release(conn *sql.Conn, clean bool) {
	defer conn.Close()
	if clean && s.Driver == "postgres" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, "DISCARD ALL"); err == nil {
			return
		}
	}
	_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // database/sql closes a bad connection
}

// kill runs KILL CONNECTION on a fresh connection outside the pool, which may be exhausted.
func (s *Source) kill(id int64) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := s.connector.Connect(ctx)
	if err != nil {
		return fmt.Errorf("KILL CONNECTION %d: %w", id, err)
	}
	defer c.Close()
	ex, ok := c.(driver.ExecerContext)
	if !ok {
		return fmt.Errorf("KILL CONNECTION %d: the driver cannot execute statements", id)
	}
	_, err = ex.ExecContext(ctx, fmt.Sprintf("KILL CONNECTION %d", id), nil)
	var me *mysql.MySQLError
	if errors.As(err, &me) && me.Number == errUnknownThread {
		return nil // the statement and its connection have ended already
	}
	if err != nil {
		return fmt.Errorf("KILL CONNECTION %d: %w", id, err)
	}
	return nil
}
