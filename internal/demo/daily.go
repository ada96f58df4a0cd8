package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// historyDays is how many days of daily history the seed writes, ending today.
const historyDays = 365

// factDays is how many days back from now the seed writes facts (orders, tickets, answers, spend):
// the daily history's days and the 30 days before the first, so that every day's 30-day window is
// full whatever the hour of the day the seed runs at.
const factDays = historyDays + 31

// daily are the demo's daily history tables, what a warehouse keeps as daily snapshots: one
// row per day (and label) with each metric's value at 00:00 UTC of that day, computed from the
// seeded facts with the same definitions as the live queries of kpis/. The history queries of
// kpis/ read them for kpic backfill. The days table is filled first.
var daily = []string{
	// Covering indexes: each daily value reads a window of rows, 366 times.
	`CREATE INDEX orders_paid_window ON orders (status, created_at, customer_id, total, cost)`,
	`CREATE INDEX subscriptions_window ON subscriptions (started_at, cancelled_at, plan, customer_id, amount)`,
	`CREATE INDEX carts_window ON carts (created_at, checked_out)`,
	`CREATE INDEX tickets_window ON tickets (created_at, resolved_at, priority, first_response_seconds)`,
	`CREATE TABLE daily_active_subscriptions AS
		SELECT d.day, s.plan, count(*) AS value FROM days d JOIN subscriptions s
		ON s.started_at <= d.ts AND (s.cancelled_at IS NULL OR s.cancelled_at > d.ts) GROUP BY d.day, s.plan`,
	`CREATE TABLE daily_active_customers AS SELECT d.day, (SELECT count(DISTINCT customer_id) FROM subscriptions s
		WHERE s.started_at <= d.ts AND (s.cancelled_at IS NULL OR s.cancelled_at > d.ts)) AS value FROM days d`,
	`CREATE TABLE daily_mrr AS SELECT d.day, (SELECT coalesce(sum(amount), 0) FROM subscriptions s
		WHERE s.started_at <= d.ts AND (s.cancelled_at IS NULL OR s.cancelled_at > d.ts)) AS value FROM days d`,
	`CREATE TABLE daily_customers_30d_ago AS SELECT d.day, (SELECT count(DISTINCT customer_id) FROM subscriptions s
		WHERE s.started_at <= d.ts - 30*86400 AND (s.cancelled_at IS NULL OR s.cancelled_at > d.ts - 30*86400)) AS value FROM days d`,
	`CREATE TABLE daily_churned_customers_30d AS SELECT d.day, (SELECT count(DISTINCT customer_id) FROM subscriptions s
		WHERE s.started_at <= d.ts - 30*86400 AND s.cancelled_at > d.ts - 30*86400 AND s.cancelled_at <= d.ts) AS value FROM days d`,
	`CREATE TABLE daily_new_customers_30d AS
		SELECT d.day, c.channel, count(*) AS value FROM days d JOIN customers c
		ON c.created_at > d.ts - 30*86400 AND c.created_at <= d.ts GROUP BY d.day, c.channel`,
	`CREATE TABLE daily_marketing_spend_30d AS
		SELECT d.day, m.channel, sum(m.amount) AS value FROM days d JOIN marketing_spend m
		ON m.day > date(d.ts, 'unixepoch', '-30 days') AND m.day <= d.day GROUP BY d.day, m.channel`,
	`CREATE TABLE daily_sessions_30d AS
		WITH per_day AS MATERIALIZED (SELECT date(started_at, 'unixepoch') AS day, count(*) AS n FROM sessions GROUP BY 1)
		SELECT d.day, (SELECT coalesce(sum(n), 0) FROM per_day p WHERE p.day >= date(d.ts, 'unixepoch', '-30 days') AND p.day < d.day) AS value
		FROM days d`,
	`CREATE TABLE daily_orders_30d AS SELECT d.day, (SELECT count(*) FROM orders o
		WHERE o.status = 'paid' AND o.created_at > d.ts - 30*86400 AND o.created_at <= d.ts) AS value FROM days d`,
	`CREATE TABLE daily_revenue_30d AS SELECT d.day, (SELECT coalesce(sum(total), 0) FROM orders o
		WHERE o.status = 'paid' AND o.created_at > d.ts - 30*86400 AND o.created_at <= d.ts) AS value FROM days d`,
	`CREATE TABLE daily_cost_of_goods_30d AS SELECT d.day, (SELECT coalesce(sum(cost), 0) FROM orders o
		WHERE o.status = 'paid' AND o.created_at > d.ts - 30*86400 AND o.created_at <= d.ts) AS value FROM days d`,
	`CREATE TABLE daily_order_value AS
		SELECT d.day, c.country, avg(o.total) AS value FROM days d JOIN orders o
		ON o.status = 'paid' AND o.created_at > d.ts - 30*86400 AND o.created_at <= d.ts
		JOIN customers c ON c.id = o.customer_id GROUP BY d.day, c.country`,
	`CREATE TABLE daily_carts_created_30d AS SELECT d.day, (SELECT count(*) FROM carts c
		WHERE c.created_at > d.ts - 30*86400 AND c.created_at <= d.ts) AS value FROM days d`,
	`CREATE TABLE daily_carts_abandoned_30d AS SELECT d.day, (SELECT count(*) FROM carts c
		WHERE c.created_at > d.ts - 30*86400 AND c.created_at < d.ts - 3600 AND c.checked_out = 0) AS value FROM days d`,
	`CREATE TABLE daily_buyers_90d AS SELECT d.day, (SELECT count(DISTINCT customer_id) FROM orders o
		WHERE o.status = 'paid' AND o.created_at > d.ts - 90*86400 AND o.created_at <= d.ts) AS value FROM days d`,
	`CREATE TABLE daily_repeat_buyers_90d AS SELECT d.day, (SELECT count(*) FROM (SELECT customer_id FROM orders o
		WHERE o.status = 'paid' AND o.created_at > d.ts - 90*86400 AND o.created_at <= d.ts
		GROUP BY customer_id HAVING count(*) >= 2)) AS value FROM days d`,
	`CREATE TABLE daily_nps_responses_30d AS
		SELECT d.day, CASE WHEN n.score >= 9 THEN 'promoter' WHEN n.score >= 7 THEN 'passive' ELSE 'detractor' END AS kind,
		count(*) AS value FROM days d JOIN nps_responses n ON n.created_at > d.ts - 30*86400 AND n.created_at <= d.ts
		GROUP BY d.day, kind`,
	`CREATE TABLE daily_nps_score AS
		SELECT d.day, 100.0 * (sum(CASE WHEN n.score >= 9 THEN 1 ELSE 0 END) - sum(CASE WHEN n.score <= 6 THEN 1 ELSE 0 END)) / count(*) AS value
		FROM days d JOIN nps_responses n ON n.created_at > d.ts - 30*86400 AND n.created_at <= d.ts GROUP BY d.day`,
	`CREATE TABLE daily_first_response AS
		SELECT day, first_response_seconds AS value FROM (
			SELECT d.day, t.first_response_seconds,
				row_number() OVER (PARTITION BY d.day ORDER BY t.first_response_seconds) AS n,
				count(*) OVER (PARTITION BY d.day) AS total
			FROM days d JOIN tickets t ON t.created_at > d.ts - 7*86400 AND t.created_at <= d.ts
			WHERE t.first_response_seconds IS NOT NULL)
		WHERE n = (total + 1) / 2`,
	`CREATE TABLE daily_open_tickets AS
		SELECT d.day, t.priority, count(*) AS value FROM days d JOIN tickets t
		ON t.created_at <= d.ts AND (t.resolved_at IS NULL OR t.resolved_at > d.ts) GROUP BY d.day, t.priority`,
}

// seedDaily fills the days table with the last historyDays days up to today, then computes the
// daily history tables.
func seedDaily(ctx context.Context, db *sql.DB, now time.Time) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE days (day TEXT PRIMARY KEY, ts INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("daily history: %w", err)
	}
	today := now.UTC().Truncate(24 * time.Hour)
	for i := historyDays; i >= 0; i-- {
		d := today.AddDate(0, 0, -i)
		if _, err := db.ExecContext(ctx, `INSERT INTO days (day, ts) VALUES (?, ?)`, d.Format(time.DateOnly), d.Unix()); err != nil {
			return fmt.Errorf("daily history: %w", err)
		}
	}
	if err := execAll(ctx, db, daily); err != nil {
		return fmt.Errorf("daily history: %w", err)
	}
	return nil
}
