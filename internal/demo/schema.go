// Package demo builds the demo company's SQLite database: a year of history that puts most KPIs
// in the green or amber and churn in the red, then live activity that keeps the KPIs moving.
package demo

import (
	"context"
	"database/sql"
	"fmt"
)

// schema is the demo shop's tables and the indexes the queries of kpis/ need; times are unix seconds.
var schema = []string{
	`PRAGMA journal_mode = WAL`,
	`CREATE TABLE customers (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, channel TEXT NOT NULL, country TEXT NOT NULL)`,
	`CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, plan TEXT NOT NULL,
		amount REAL NOT NULL, status TEXT NOT NULL, started_at INTEGER NOT NULL, cancelled_at INTEGER)`,
	`CREATE TABLE marketing_spend (day TEXT NOT NULL, channel TEXT NOT NULL, amount REAL NOT NULL)`,
	`CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL)`,
	`CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at INTEGER NOT NULL,
		total REAL NOT NULL, cost REAL NOT NULL, status TEXT NOT NULL)`,
	`CREATE TABLE carts (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, checked_out INTEGER NOT NULL)`,
	`CREATE TABLE nps_responses (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, score INTEGER NOT NULL)`,
	`CREATE TABLE tickets (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, first_response_seconds INTEGER,
		resolved_at INTEGER, priority TEXT NOT NULL)`,
}

// indexes are created after the bulk load, which is faster than maintaining them row by row.
var indexes = []string{
	`CREATE INDEX customers_created_at ON customers (created_at)`,
	`CREATE INDEX subscriptions_status ON subscriptions (status, customer_id)`,
	`CREATE INDEX subscriptions_started_at ON subscriptions (started_at, cancelled_at)`,
	`CREATE INDEX marketing_spend_day ON marketing_spend (day)`,
	`CREATE INDEX sessions_started_at ON sessions (started_at)`,
	`CREATE INDEX orders_created_at ON orders (created_at, status)`,
	`CREATE INDEX orders_customer_id ON orders (customer_id)`,
	`CREATE INDEX carts_created_at ON carts (created_at)`,
	`CREATE INDEX nps_responses_created_at ON nps_responses (created_at)`,
	`CREATE INDEX tickets_created_at ON tickets (created_at)`,
	`CREATE INDEX tickets_resolved_at ON tickets (resolved_at)`,
}

// execAll runs statements in order and stops at the first failure.
func execAll(ctx context.Context, db *sql.DB, stmts []string) error {
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("run %.40q: %w", s, err)
		}
	}
	return nil
}
