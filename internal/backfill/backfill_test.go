package backfill_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb"

	"github.com/kpic/kpic/internal/backfill"
	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// catalog is a small company with one history table: subscribers by plan, one row per day.
const catalog = `
settings:
  namespace: biz
  rules: {interval: 1m, labels: {tenant: acme}}
sources:
  - name: db
    driver: %s
    dsn: ${HISTORY_DSN}
    %s
teams:
  - {name: growth, slack_channel: "#growth"}
objectives:
  - name: grow
    title: Grow
    owner: growth
    period: {start: 2026-01-01, end: 2026-12-31}
metrics:
  - name: subscribers
    help: Subscribers by plan.
    owner: growth
    source: db
    labels: [plan]
    interval: 5m
    query: SELECT plan, 1 AS value FROM %[3]s GROUP BY plan
    history:
      query: SELECT day AS time, plan, subscribers AS value FROM %[3]s
kpis:
  - name: total_subscribers
    title: Subscribers
    objective: grow
    owner: growth
    unit: count
    metric: subscribers
    target: {direction: higher, value: 100}
    critical: 50
    supporting: [subscribers]
  - name: uptime
    title: Uptime
    objective: grow
    owner: growth
    unit: ratio
    expr: avg(up)
    target: {direction: higher, value: 0.99}
`

// days are the history rows: plan a and b on five days of March 2026. The totals (a+b) put the
// KPI green (>= 100), amber (50..100) or red (< 50). Row order is scrambled on purpose, one
// value is NULL (dropped, the day before holds on) and one row repeats a day (the first wins).
var days = []string{
	"('2026-03-03', 'a', 20)", "('2026-03-01', 'a', 60)", "('2026-03-01', 'b', 50)",
	"('2026-03-02', 'a', 40)", "('2026-03-02', 'b', 30)", "('2026-03-03', 'b', 10)",
	"('2026-03-04', 'a', NULL)", "('2026-03-04', 'b', 90)", "('2026-03-04', 'b', 1)",
	"('2026-02-20', 'a', 5)",
}

// want are the values at chosen instants: the gauges from the rows and the KPI that follows.
var want = []struct {
	at           string
	a, b, status float64
}{
	{"2026-03-01T00:00:00Z", 60, 50, 0},
	{"2026-03-01T23:55:00Z", 60, 50, 0},
	{"2026-03-02T12:00:00Z", 40, 30, 1},
	{"2026-03-03T06:30:00Z", 20, 10, 2},
	{"2026-03-04T18:00:00Z", 20, 90, 0},
	{"2026-03-05T23:55:00Z", 20, 90, 0},
}

func TestBackfillDatabases(t *testing.T) {
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			cols := "day DATE, plan VARCHAR(10), subscribers INTEGER"
			table := d.table(t, "kpic_history", cols, []string{strings.Join(days, ", ")})
			out := t.TempDir()
			var warnings []string
			sum := run(t, d, table, out, &warnings)
			if len(sum.Queries) != 1 || sum.Queries[0].Null != 1 || sum.Queries[0].Series != 2 {
				t.Errorf("query stats = %+v, want 1 NULL and 2 series", sum.Queries)
			}
			if len(warnings) != 1 || !strings.Contains(warnings[0], "kpi uptime skipped") || !strings.Contains(warnings[0], "up") {
				t.Errorf("warnings = %q, want the expr KPI uptime skipped", warnings)
			}
			checkBlocks(t, out)
		})
	}
}

func run(t *testing.T, d testDB, table, out string, warnings *[]string) backfill.Summary {
	t.Helper()
	m := loadCatalog(t, fmt.Sprintf(catalog, d.driver, d.privileged(), table))
	env := source.Env{Getenv: func(string) string { return d.dsn }, ReadFile: os.ReadFile}
	sum, err := backfill.Run(context.Background(), m, backfill.Options{
		From: date(t, "2026-03-01T00:00:00Z"), To: date(t, "2026-03-06T00:00:00Z"), Out: out, Env: env,
		Warn: func(w string) { *warnings = append(*warnings, w) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func loadCatalog(t testing.TB, yaml string) *definition.Model {
	t.Helper()
	m, diags := definition.LoadFS(fstest.MapFS{"kpis.yaml": {Data: []byte(yaml)}}, "kpis")
	if errs := diags.Errors(); len(errs) > 0 {
		t.Fatal(errs.Error())
	}
	return m
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkBlocks opens the written blocks and queries them at the chosen instants.
func checkBlocks(t *testing.T, out string) {
	t.Helper()
	db, err := tsdb.OpenDBReadOnly(out, "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blocks, err := db.Blocks()
	if err != nil || len(blocks) != 5 {
		t.Errorf("blocks = %d (%v), want one per day", len(blocks), err)
	}
	for _, b := range blocks {
		// A block ending after --to would make Prometheus refuse live samples before its end.
		if maxt := b.Meta().MaxTime; maxt > date(t, "2026-03-06T00:00:00Z").UnixMilli() {
			t.Errorf("block %s ends at %d, after --to", b.Meta().ULID, maxt)
		}
	}
	eng := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: time.Minute, LookbackDelta: 5 * time.Minute})
	for _, w := range want {
		at := date(t, w.at)
		for expr, v := range map[string]float64{
			`biz_subscribers{plan="a",tenant="acme"}`:           w.a,
			`biz_subscribers{plan="b",tenant="acme"}`:           w.b,
			`kpi:value{kpi="total_subscribers",tenant="acme"}`:  w.a + w.b,
			`kpi:status{kpi="total_subscribers",tenant="acme"}`: w.status,
			`count(kpi:value{kpi="uptime"}) or vector(0)`:       0,
			`count_over_time(biz_subscribers{plan="a"}[5m])`:    1,
		} {
			got, ok := instant(t, eng, db, expr, at)
			if !ok || got != v {
				t.Errorf("%s at %s = %v (found %v), want %v", expr, w.at, got, ok, v)
			}
		}
	}
}

// instant runs expr at t over the blocks; ok is false when the result is empty.
func instant(t *testing.T, eng *promql.Engine, db storage.Queryable, expr string, at time.Time) (float64, bool) {
	t.Helper()
	q, err := eng.NewInstantQuery(context.Background(), db, nil, expr, at)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	res := q.Exec(context.Background())
	if res.Err != nil {
		t.Fatalf("%s: %v", expr, res.Err)
	}
	v, err := res.Vector()
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	if len(v) != 1 {
		return float64(len(v)), false
	}
	return v[0].F, true
}

// TestInterruptedRunLeavesNoBlock cancels a run after its first window, as Ctrl-C does: the
// output folder must hold nothing, not a block, not a temporary folder.
func TestInterruptedRunLeavesNoBlock(t *testing.T) {
	d := testDBs(t)[0]
	table := d.table(t, "kpic_history", "day DATE, plan VARCHAR(10), subscribers INTEGER", []string{strings.Join(days, ", ")})
	m := loadCatalog(t, fmt.Sprintf(catalog, d.driver, d.privileged(), table))
	env := source.Env{Getenv: func(string) string { return d.dsn }, ReadFile: os.ReadFile}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := t.TempDir()
	windows := 0
	_, err := backfill.Run(ctx, m, backfill.Options{
		From: date(t, "2026-03-01T00:00:00Z"), To: date(t, "2026-03-06T00:00:00Z"), Out: out, Env: env,
		Progress: func(p backfill.Progress) {
			if p.Query == nil {
				if windows++; windows == 3 { // a block is complete in the private TSDB by now
					cancel()
				}
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	entries, err := os.ReadDir(out)
	if err != nil || len(entries) != 0 {
		t.Errorf("output folder holds %v (%v), want nothing", entries, err)
	}
}

// TestHistoryQueryCannotWrite runs a history query that deletes rows: the source's read-only
// transaction refuses it, the run fails naming the metric, and the table is intact.
func TestHistoryQueryCannotWrite(t *testing.T) {
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			table := d.table(t, "kpic_history", "day DATE, plan VARCHAR(10), subscribers INTEGER", []string{strings.Join(days, ", ")})
			valid := fmt.Sprintf(catalog, d.driver, d.privileged(), table)
			yaml := strings.Replace(valid, "query: SELECT day AS time, plan, subscribers AS value FROM "+table, "query: DELETE FROM "+table, 1)
			if _, diags := definition.LoadFS(fstest.MapFS{"kpis.yaml": {Data: []byte(yaml)}}, "kpis"); !diags.HasErrors() {
				t.Error("kpic check accepts a history query that deletes")
			}
			// The run refuses it too, for models that did not go through the checks.
			m := loadCatalog(t, valid)
			for _, x := range m.Metrics {
				if x.History != nil {
					x.History.Query = "DELETE FROM " + table
				}
			}
			env := source.Env{Getenv: func(string) string { return d.dsn }, ReadFile: os.ReadFile}
			out := t.TempDir()
			_, err := backfill.Run(context.Background(), m, backfill.Options{
				From: date(t, "2026-03-01T00:00:00Z"), To: date(t, "2026-03-02T00:00:00Z"), Out: out, Env: env})
			if err == nil || !strings.Contains(err.Error(), "history of subscribers") {
				t.Errorf("err = %v, want the history of subscribers refused", err)
			}
			var n int
			if err := d.admin.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil || n != len(days) {
				t.Errorf("table has %d rows (%v), want %d", n, err, len(days))
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("output folder holds %v, want nothing", entries)
			}
		})
	}
}

// TestRulesIntervalOverridesTheGroups records the rules every 5m instead of the groups' 1m:
// an hour holds 12 kpi:value samples instead of 60, and the values are the same. The hourly
// trend stays hourly: a coarser step never makes a group finer.
func TestRulesIntervalOverridesTheGroups(t *testing.T) {
	d := testDBs(t)[0]
	table := d.table(t, "kpic_history", "day DATE, plan VARCHAR(10), subscribers INTEGER", []string{strings.Join(days, ", ")})
	m := loadCatalog(t, fmt.Sprintf(catalog, d.driver, d.privileged(), table))
	env := source.Env{Getenv: func(string) string { return d.dsn }, ReadFile: os.ReadFile}
	eng := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: time.Minute, LookbackDelta: 5 * time.Minute})
	at := date(t, "2026-03-02T12:00:00Z")
	for _, c := range []struct {
		every time.Duration
		want  float64
	}{{0, 60}, {5 * time.Minute, 12}} {
		out := t.TempDir()
		_, err := backfill.Run(context.Background(), m, backfill.Options{From: date(t, "2026-03-01T00:00:00Z"),
			To: date(t, "2026-03-03T00:00:00Z"), Out: out, Env: env, RulesInterval: c.every})
		if err != nil {
			t.Fatal(err)
		}
		db, err := tsdb.OpenDBReadOnly(out, "", slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := instant(t, eng, db, `count_over_time(kpi:value{kpi="total_subscribers"}[1h])`, at)
		v, _ := instant(t, eng, db, `kpi:value{kpi="total_subscribers"}`, at)
		trend, _ := instant(t, eng, db, `count_over_time(kpi:value:trend{kpi="total_subscribers"}[6h])`, at)
		db.Close()
		if n != c.want || v != 70 {
			t.Errorf("rules every %s: %v samples in an hour with value %v, want %v samples of 70", c.every, n, v, c.want)
		}
		if trend != 6 {
			t.Errorf("rules every %s: %v trend samples in 6h, want 6 (hourly)", c.every, trend)
		}
	}
}

// TestLastBlockEndsAtTo backfills up to an instant inside a day: the last block must end there,
// not at the end of its day, or a Prometheus started on the blocks refuses every live sample
// before that end as out of bounds.
func TestLastBlockEndsAtTo(t *testing.T) {
	d := testDBs(t)[0]
	table := d.table(t, "kpic_history", "day DATE, plan VARCHAR(10), subscribers INTEGER", []string{strings.Join(days, ", ")})
	m := loadCatalog(t, fmt.Sprintf(catalog, d.driver, d.privileged(), table))
	env := source.Env{Getenv: func(string) string { return d.dsn }, ReadFile: os.ReadFile}
	out := t.TempDir()
	to := date(t, "2026-03-02T13:07:00Z")
	if _, err := backfill.Run(context.Background(), m, backfill.Options{From: date(t, "2026-03-01T00:00:00Z"), To: to, Out: out, Env: env}); err != nil {
		t.Fatal(err)
	}
	db, err := tsdb.OpenDBReadOnly(out, "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blocks, err := db.Blocks()
	if err != nil || len(blocks) != 2 {
		t.Fatalf("blocks = %d (%v), want 2", len(blocks), err)
	}
	for _, b := range blocks {
		if maxt := b.Meta().MaxTime; maxt > to.UnixMilli() {
			t.Errorf("block %s ends at %s, after --to %s", b.Meta().ULID, time.UnixMilli(maxt).UTC(), to)
		}
	}
}
