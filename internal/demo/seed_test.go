package demo

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
	_ "modernc.org/sqlite"
)

// seeded returns a database seeded up to the real current time, as the demo does: the queries of
// kpis/ compare against SQLite's own clock.
func seeded(t *testing.T, seed uint64) *sql.DB {
	t.Helper()
	return seededAt(t, seed, time.Now())
}

// seededAt returns a database seeded up to now.
func seededAt(t *testing.T, seed uint64, now time.Time) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := Seed(context.Background(), db, now, rand.New(rand.NewPCG(seed, 1))); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return db
}

// definitionQueries reads the SQL of every metric and KPI in kpis/, by name.
func definitionQueries(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../../kpis/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no definitions in kpis/: %v", err)
	}
	out := map[string]string{}
	for _, f := range files {
		var doc struct {
			Metrics, KPIs []struct{ Name, Query string } `yaml:",omitempty"`
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, x := range doc.Metrics {
			out[x.Name] = x.Query
		}
		for _, x := range doc.KPIs {
			out[x.Name] = x.Query
		}
	}
	return out
}

// sumValues runs query and sums its value column over all rows, as a KPI sums over labels.
func sumValues(t *testing.T, db *sql.DB, query string) float64 {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		sum += asFloat(t, vals[len(cols)-1])
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return sum
}

func asFloat(t *testing.T, v any) float64 {
	t.Helper()
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	default:
		t.Fatalf("value column is %T (%v), want a number", v, v)
		return 0
	}
}

// revenueWeekAgo is revenue_30d_dollars as Prometheus saw it seven days ago, for the growth KPI.
const revenueWeekAgo = `SELECT sum(total) AS value FROM orders WHERE status = 'paid'
	AND created_at > unixepoch('now', '-37 days') AND created_at <= unixepoch('now', '-7 days')`
