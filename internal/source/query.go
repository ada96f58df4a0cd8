package source

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

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
}

// Visit receives each usable row: the label values in Query.Labels order and the sample. The
// label bytes are only valid until Visit returns.
type Visit func(labels [][]byte, value float64)

// Run executes q in a read-only transaction bounded by q.Timeout and streams its rows to visit.
// A timed-out statement is cancelled in the database, not only abandoned. Failures are *Error
// with a reason, except when ctx itself is cancelled (shutdown or reload).
func (s *Source) Run(ctx context.Context, q Query, visit Visit) (Stats, error) {
	qctx, cancel := context.WithTimeout(ctx, q.Timeout)
	defer cancel()
	conn, err := s.db.Conn(qctx)
	if err != nil {
		return Stats{}, s.fail(ctx, qctx, ReasonConnection, err)
	}
	defer conn.Close()
	if err := s.session(qctx, conn); err != nil {
		return Stats{}, s.fail(ctx, qctx, ReasonConnection, err)
	}
	tx, err := conn.BeginTx(qctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Stats{}, s.fail(ctx, qctx, ReasonConnection, err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: there is nothing to keep
	stop, err := s.guard(qctx, tx, q.Timeout)
	if err != nil {
		return Stats{}, s.fail(ctx, qctx, ReasonQuery, err)
	}
	defer stop()
	st, err := s.read(qctx, tx, q, visit)
	if err != nil {
		return st, s.fail(ctx, qctx, ReasonQuery, err)
	}
	return st, nil
}

// read runs the statement and scans every row.
func (s *Source) read(ctx context.Context, tx *sql.Tx, q Query, visit Visit) (Stats, error) {
	rows, err := tx.QueryContext(ctx, q.SQL)
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
	case errors.Is(qctx.Err(), context.DeadlineExceeded):
		return &Error{Reason: ReasonTimeout, Err: fmt.Errorf("query timed out: %w", s.redact.err(err))}
	}
	return &Error{Reason: reason, Err: s.redact.err(err)}
}
