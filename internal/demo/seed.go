package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// day is one day in unix seconds, the unit every generator counts in.
const day = 24 * 60 * 60

// Seed creates the demo schema in an empty database and fills it with a year of history ending
// at now. The same rnd seed and now give the same rows. The queries of kpis/ compare against the
// database's clock, so now should be the current time.
func Seed(ctx context.Context, db *sql.DB, now time.Time, rnd *rand.Rand) error {
	if err := execAll(ctx, db, schema); err != nil {
		return fmt.Errorf("create demo schema: %w", err)
	}
	h := newHistory(now.Unix(), rnd)
	h.generate()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	if err := h.load(ctx, tx); err != nil {
		return errors.Join(fmt.Errorf("seed demo data: %w", err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	if err := execAll(ctx, db, indexes); err != nil {
		return fmt.Errorf("index demo data: %w", err)
	}
	return seedDaily(ctx, db, now)
}

// history is the generated content of the database, kept in memory until it is loaded in one
// transaction.
type history struct {
	now int64
	rnd *rand.Rand

	customers []customer
	subs      []subscription
	sessions  []int64
	orders    []order
	carts     []cart
	spend     []spend
	nps       []nps
	tickets   []ticket
}

func newHistory(now int64, rnd *rand.Rand) *history { return &history{now: now, rnd: rnd} }

// generate fills every table; customers come first because orders are placed by them.
func (h *history) generate() {
	h.genSubscribers()
	h.genShop()
	h.genSpend()
	h.genNPS()
	h.genTickets()
}

// between returns a uniform time in [from, to).
func (h *history) between(from, to int64) int64 {
	if to <= from {
		return from
	}
	return from + h.rnd.Int64N(to-from)
}

// around returns n varied by up to ±spread (a fraction), never below zero.
func (h *history) around(n float64, spread float64) int {
	v := n * (1 + spread*(2*h.rnd.Float64()-1))
	return max(0, int(v+0.5))
}

// weighted is a choice among values with relative weights.
type weighted struct {
	values  []string
	weights []float64
}

// pick draws one value according to the weights.
func (w weighted) pick(rnd *rand.Rand) string {
	var total float64
	for _, x := range w.weights {
		total += x
	}
	r := rnd.Float64() * total
	for i, x := range w.weights {
		if r < x {
			return w.values[i]
		}
		r -= x
	}
	return w.values[len(w.values)-1]
}
