package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// tick is how often Run adds activity: often enough that the dashboards visibly move.
const tick = 2 * time.Second

// Run adds live activity every few seconds until ctx is done: visits, carts, orders, sign-ups,
// cancellations, NPS answers and tickets, at a pace that keeps each KPI near its seeded band.
// It returns nil when ctx is cancelled.
func Run(ctx context.Context, db *sql.DB, rnd *rand.Rand) error {
	return run(ctx, db, rnd, tick)
}

func run(ctx context.Context, db *sql.DB, rnd *rand.Rand, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := step(ctx, db, rnd, time.Now().Unix()); err != nil && ctx.Err() == nil {
				return fmt.Errorf("add live demo activity: %w", err)
			}
		}
	}
}

// step adds one tick's worth of activity in one transaction.
func step(ctx context.Context, db *sql.DB, rnd *rand.Rand, now int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	a := activity{ctx: ctx, tx: tx, rnd: rnd, now: now}
	a.visits()
	a.subscribers()
	a.support()
	if a.err != nil {
		return errors.Join(a.err, tx.Rollback())
	}
	return tx.Commit()
}
