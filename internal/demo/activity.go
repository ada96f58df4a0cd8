package demo

import (
	"context"
	"database/sql"
	"math"
	"math/rand/v2"
)

// activity writes one tick of live rows; the first error stops further writes and is kept.
type activity struct {
	ctx context.Context
	tx  *sql.Tx
	rnd *rand.Rand
	now int64
	err error
}

// exec runs one statement unless an earlier one failed.
func (a *activity) exec(query string, args ...any) {
	if a.err == nil {
		_, a.err = a.tx.ExecContext(a.ctx, query, args...)
	}
}

// chance reports true with probability p.
func (a *activity) chance(p float64) bool { return a.rnd.Float64() < p }

// visits adds a handful of shop visits; some open a cart, a few of those buy.
func (a *activity) visits() {
	for range 4 + a.rnd.IntN(9) {
		a.exec(`INSERT INTO sessions (started_at) VALUES (?)`, a.now)
		if !a.chance(conversion * (1 + abandonedPerBuy)) {
			continue
		}
		bought := a.chance(1 / (1 + abandonedPerBuy))
		a.exec(`INSERT INTO carts (created_at, checked_out) VALUES (?, ?)`, a.now, bought)
		if bought {
			a.order()
		}
	}
}

// order adds a paid order from a random existing customer.
func (a *activity) order() {
	total := math.Round(math.Exp(4+0.5*a.rnd.NormFloat64())*100) / 100
	a.exec(`INSERT INTO orders (customer_id, created_at, total, cost, status)
		VALUES ((SELECT id FROM customers ORDER BY random() LIMIT 1), ?, ?, ?, 'paid')`,
		a.now, total, math.Round(total*(0.5+0.1*a.rnd.Float64())*100)/100)
}

// subscribers adds a sign-up now and then, and cancels a long-time customer about as often,
// which keeps churn above its critical bound.
func (a *activity) subscribers() {
	if a.chance(0.05) {
		plan := plans.pick(a.rnd)
		a.exec(`INSERT INTO customers (created_at, channel, country) VALUES (?, ?, ?)`,
			a.now, channels.pick(a.rnd), countries.pick(a.rnd))
		a.exec(`INSERT INTO subscriptions (customer_id, plan, amount, status, started_at)
			VALUES (last_insert_rowid(), ?, ?, 'active', ?)`, plan, prices[plan], a.now)
	}
	if a.chance(0.04) {
		a.exec(`UPDATE subscriptions SET status = 'cancelled', cancelled_at = ?
			WHERE id = (SELECT id FROM subscriptions WHERE status = 'active' AND started_at < ? ORDER BY random() LIMIT 1)`,
			a.now, a.now-31*day)
	}
}

// support adds NPS answers and tickets, and answers and resolves open tickets.
func (a *activity) support() {
	if a.chance(0.15) {
		a.exec(`INSERT INTO nps_responses (created_at, score) VALUES (?, ?)`, a.now, npsScore(a.rnd.Float64(), a.rnd.IntN(7)))
	}
	if a.chance(0.1) {
		a.exec(`INSERT INTO tickets (created_at, priority) VALUES (?, ?)`, a.now, priorities.pick(a.rnd))
	}
	a.exec(`UPDATE tickets SET first_response_seconds = ? - created_at
		WHERE first_response_seconds IS NULL AND created_at < ?`, a.now, a.now-int64(1800+a.rnd.IntN(1800)))
	if a.chance(0.1) {
		a.exec(`UPDATE tickets SET resolved_at = ? WHERE id = (SELECT id FROM tickets
			WHERE resolved_at IS NULL AND first_response_seconds IS NOT NULL ORDER BY created_at LIMIT 1)`, a.now)
	}
}
