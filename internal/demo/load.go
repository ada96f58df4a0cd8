package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// load inserts every generated row in tx.
func (h *history) load(ctx context.Context, tx *sql.Tx) error {
	steps := []struct {
		query string
		n     int
		row   func(i int) []any
	}{
		{`INSERT INTO customers (id, created_at, channel, country) VALUES (?, ?, ?, ?)`, len(h.customers), func(i int) []any {
			c := h.customers[i]
			return []any{i + 1, c.created, c.channel, c.country}
		}},
		{`INSERT INTO subscriptions (customer_id, plan, amount, status, started_at, cancelled_at) VALUES (?, ?, ?, ?, ?, ?)`, len(h.subs), func(i int) []any {
			s := h.subs[i]
			return []any{s.customer, s.plan, s.amount, s.status(), s.started, nullable(s.cancelled)}
		}},
		{`INSERT INTO sessions (started_at) VALUES (?)`, len(h.sessions), func(i int) []any { return []any{h.sessions[i]} }},
		{`INSERT INTO orders (customer_id, created_at, total, cost, status) VALUES (?, ?, ?, ?, ?)`, len(h.orders), func(i int) []any {
			o := h.orders[i]
			return []any{o.customer, o.created, o.total, o.cost, orderStatus(o.refunded)}
		}},
		{`INSERT INTO carts (created_at, checked_out) VALUES (?, ?)`, len(h.carts), func(i int) []any {
			return []any{h.carts[i].created, h.carts[i].checkedOut}
		}},
		{`INSERT INTO marketing_spend (day, channel, amount) VALUES (?, ?, ?)`, len(h.spend), func(i int) []any {
			return []any{h.spend[i].day, h.spend[i].channel, h.spend[i].amount}
		}},
		{`INSERT INTO nps_responses (created_at, score) VALUES (?, ?)`, len(h.nps), func(i int) []any {
			return []any{h.nps[i].created, h.nps[i].score}
		}},
		{`INSERT INTO tickets (created_at, first_response_seconds, resolved_at, priority) VALUES (?, ?, ?, ?)`, len(h.tickets), func(i int) []any {
			t := h.tickets[i]
			return []any{t.created, nullable(t.firstResponse), nullable(t.resolved), t.priority}
		}},
	}
	for _, s := range steps {
		if err := insertRows(ctx, tx, s.query, s.n, s.row); err != nil {
			return err
		}
	}
	return nil
}

// insertRows runs one prepared INSERT per row.
func insertRows(ctx context.Context, tx *sql.Tx, query string, n int, row func(i int) []any) (err error) {
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return fmt.Errorf("prepare %.40q: %w", query, err)
	}
	defer func() { err = errors.Join(err, stmt.Close()) }()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return fmt.Errorf("insert %.40q: %w", query, err)
		}
	}
	return nil
}

// nullable turns the zero time or duration into SQL NULL.
func nullable(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func orderStatus(refunded bool) string {
	if refunded {
		return "refunded"
	}
	return "paid"
}
