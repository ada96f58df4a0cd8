package source

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"
)

// guard makes the database itself stop the statement at the timeout: PostgreSQL through a
// transaction-local statement_timeout (its cancel request is sent too, see postgresConnector),
// MySQL and MariaDB through KILL CONNECTION from a side connection, since dropping the client
// connection does not stop a running statement there. KILL QUERY would miss a statement still
// in flight when the kill arrives; the connection is discarded on timeout anyway. The returned stop waits for a kill in
// progress, so the connection is never reused while it is being killed.
func (s *Source) guard(ctx context.Context, tx *sql.Tx, timeout time.Duration) (stop func(), err error) {
	switch s.Driver {
	case "postgres":
		_, err := tx.ExecContext(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", timeout.Milliseconds()))
		return func() {}, err
	case "mysql":
		return s.killOnTimeout(ctx, tx)
	}
	return func() {}, nil
}

func (s *Source) killOnTimeout(ctx context.Context, tx *sql.Tx) (func(), error) {
	var id int64
	if err := tx.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		if ctx.Err() == context.DeadlineExceeded {
			s.kill(id)
		}
	})
	return func() {
		if !stop() {
			<-done
		}
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
func (s *Source) kill(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := s.connector.Connect(ctx)
	if err != nil {
		return
	}
	defer c.Close()
	if ex, ok := c.(driver.ExecerContext); ok {
		_, _ = ex.ExecContext(ctx, fmt.Sprintf("KILL CONNECTION %d", id), nil)
	}
}
