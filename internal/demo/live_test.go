package demo

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// TestRunAddsActivity runs the live loop briefly and checks each kind of row grows and the
// subscriptions stay consistent.
func TestRunAddsActivity(t *testing.T) {
	db := seeded(t, 4)
	counts := func() map[string]float64 {
		out := map[string]float64{}
		for _, table := range []string{"sessions", "carts", "orders", "customers", "nps_responses", "tickets"} {
			out[table] = sumValues(t, db, "SELECT count(*) AS value FROM "+table)
		}
		out["cancelled"] = sumValues(t, db, "SELECT count(*) AS value FROM subscriptions WHERE status = 'cancelled'")
		return out
	}
	before := counts()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := run(ctx, db, rand.New(rand.NewPCG(4, 2)), 5*time.Millisecond); err != nil {
		t.Fatalf("run: %v", err)
	}
	after := counts()
	for table, n := range before {
		if after[table] <= n {
			t.Errorf("%s: %v rows before and %v after running, want more", table, n, after[table])
		}
	}
	bad := sumValues(t, db, `SELECT count(*) AS value FROM subscriptions
		WHERE (status = 'active') != (cancelled_at IS NULL) OR customer_id NOT IN (SELECT id FROM customers)`)
	if bad != 0 {
		t.Errorf("%v subscriptions have a status that disagrees with cancelled_at, or no customer", bad)
	}
}

// TestRunStopsWithItsContext checks Run returns nil promptly once its context is cancelled.
func TestRunStopsWithItsContext(t *testing.T) {
	db := seeded(t, 5)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, db, rand.New(rand.NewPCG(5, 2))) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5s of its context being cancelled")
	}
}
