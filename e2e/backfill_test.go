//go:build e2e

package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

// backfillCatalog reads one daily history table per database; each metric is promoted to a
// KPI (green from 100, red below 50), and a growth KPI reads the SQLite one a day back.
const backfillCatalog = `
settings:
  namespace: biz
  rules: {interval: 1m}
sources:
  - {name: lite, driver: sqlite, dsn: "${BF_SQLITE}"}
  - {name: pg, driver: postgres, dsn: "${BF_POSTGRES}"}
  - {name: maria, driver: mysql, dsn: "${BF_MYSQL}"}
teams:
  - {name: growth, slack_channel: "#growth"}
objectives:
  - name: grow
    title: Grow
    owner: growth
    period: {start: 2026-01-01, end: 2026-12-31}
metrics:
%s
kpis:
%s
  - name: lite_growth
    title: Day-over-day growth
    objective: grow
    owner: growth
    unit: ratio
    growth: {metric: lite_subscribers, over: 1d}
    target: {direction: higher, value: 0}
`

const backfillMetric = `  - name: %[1]s_subscribers
    help: Subscribers by plan.
    owner: growth
    source: %[1]s
    labels: [plan]
    interval: 5m
    query: SELECT plan, 1 AS value FROM %[2]s GROUP BY plan
    history:
      query: SELECT day AS time, plan, subscribers AS value FROM %[2]s
`

const backfillKPI = `  - name: %[1]s_total
    title: Subscribers (%[1]s)
    objective: grow
    owner: growth
    unit: count
    metric: %[1]s_subscribers
    target: {direction: higher, value: 100}
    critical: 50
    supporting: [%[1]s_subscribers]
`

// historyRows are the daily rows of every history table: out of order, with a NULL value (the
// day before holds on), a repeated day (the first row wins) and a row before the range.
var historyRows = []string{
	"('2026-03-03', 'a', 20)", "('2026-03-01', 'a', 60)", "('2026-03-01', 'b', 50)",
	"('2026-03-02', 'a', 40)", "('2026-03-02', 'b', 30)", "('2026-03-03', 'b', 10)",
	"('2026-03-04', 'a', NULL)", "('2026-03-04', 'b', 90)", "('2026-03-04', 'b', 1)",
	"('2026-02-20', 'a', 5)",
}

// TestBackfillIntoPrometheus backfills history tables in SQLite, PostgreSQL and MariaDB with
// kpic backfill, starts Debian's Prometheus on the blocks and checks, at chosen past instants,
// the gauges from the SQL rows and the kpi:value and kpi:status that follow from them.
func TestBackfillIntoPrometheus(t *testing.T) {
	promBin := need(t, "prometheus", "apt-get install -y prometheus")
	dir := t.TempDir()
	env, metrics, kpis := historyTables(t, dir)
	defs := filepath.Join(dir, "kpis")
	if err := os.MkdirAll(defs, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(defs, "kpis.yaml"), []byte(fmt.Sprintf(backfillCatalog, metrics, kpis)))
	data := filepath.Join(dir, "data")
	cmd := exec.Command(kpicBin, "backfill", "--from=2026-03-01", "--to=2026-03-06", "--out="+data, defs)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kpic backfill: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	write(t, cfg, []byte("global: {}\n"))
	addr := freeAddr(t)
	start(t, dir, "Prometheus", "/-/ready", addr, nil, promBin, "--config.file="+cfg,
		"--storage.tsdb.path="+data, "--storage.tsdb.retention.time=100y", "--web.listen-address="+addr)
	base := "http://" + addr
	for _, w := range []struct {
		at           string
		a, b, status float64
	}{
		{"2026-03-01T00:00:00Z", 60, 50, 0},
		{"2026-03-01T23:55:00Z", 60, 50, 0},
		{"2026-03-02T12:00:00Z", 40, 30, 1},
		{"2026-03-03T06:30:00Z", 20, 10, 2},
		{"2026-03-04T18:00:00Z", 20, 90, 0},
		{"2026-03-05T23:59:00Z", 20, 90, 0},
	} {
		at, _ := time.Parse(time.RFC3339, w.at)
		for _, db := range []string{"lite", "pg", "maria"} {
			expect(t, base, at, fmt.Sprintf(`biz_%s_subscribers{plan="a"}`, db), w.a)
			expect(t, base, at, fmt.Sprintf(`biz_%s_subscribers{plan="b"}`, db), w.b)
			expect(t, base, at, fmt.Sprintf(`kpi:value{kpi="%s_total"}`, db), w.a+w.b)
			expect(t, base, at, fmt.Sprintf(`kpi:status{kpi="%s_total"}`, db), w.status)
		}
	}
	at, _ := time.Parse(time.RFC3339, "2026-03-03T06:30:00Z")
	expect(t, base, at, `kpi:value{kpi="lite_growth"}`, (30.0-70.0)/70.0)
	if v, ok := queryAt(t, base, `kpi:value{kpi="lite_total"}`, at.AddDate(0, 0, 3)); ok {
		t.Errorf("kpi:value after the range = %v, want nothing (blocks end at --to)", v)
	}
}

// historyTables creates the history table in each database and returns the DSN variables and
// the metric and KPI definitions reading them.
func historyTables(t *testing.T, dir string) (env []string, metrics, kpis string) {
	t.Helper()
	lite := filepath.Join(dir, "history.db")
	for _, d := range []struct{ name, driver, dsn, envVar string }{
		{"lite", "sqlite", lite, "BF_SQLITE"},
		{"pg", "pgx", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "BF_POSTGRES"},
		{"maria", "mysql", "root@tcp(127.0.0.1:3306)/test", "BF_MYSQL"},
	} {
		db, err := sql.Open(d.driver, d.dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err != nil {
			unavailable(t, "%s is not reachable (%s): %v", d.driver, d.name, err)
		}
		table := fmt.Sprintf("kpic_e2e_history_%08x", rand.Uint32())
		mustExec(t, db, "CREATE TABLE "+table+" (day DATE, plan VARCHAR(10), subscribers INTEGER)")
		t.Cleanup(func() { _, _ = db.Exec("DROP TABLE " + table) })
		mustExec(t, db, "INSERT INTO "+table+" VALUES "+strings.Join(historyRows, ", "))
		env = append(env, d.envVar+"="+readerOf(t, d.name, db, d.dsn, table))
		metrics += fmt.Sprintf(backfillMetric, d.name, table)
		kpis += fmt.Sprintf(backfillKPI, d.name)
	}
	return env, metrics, kpis
}

// readerOf creates a login role that may only read table, as a user's kpic would connect, and
// returns its DSN (kpic refuses the test servers' superusers); SQLite has no roles.
func readerOf(t *testing.T, name string, admin *sql.DB, dsn, table string) string {
	t.Helper()
	role := table + "_r"
	switch name {
	case "pg":
		mustExec(t, admin, "CREATE ROLE "+role+" LOGIN")
		mustExec(t, admin, "GRANT SELECT ON "+table+" TO "+role)
		t.Cleanup(func() {
			_, _ = admin.Exec("DROP OWNED BY " + role)
			_, _ = admin.Exec("DROP ROLE IF EXISTS " + role)
		})
		return "postgres://" + role + "@127.0.0.1:5432/test?sslmode=disable"
	case "maria":
		mustExec(t, admin, "CREATE USER '"+role+"'@'%'")
		mustExec(t, admin, "GRANT SELECT ON test."+table+" TO '"+role+"'@'%'")
		t.Cleanup(func() { _, _ = admin.Exec("DROP USER IF EXISTS '" + role + "'@'%'") })
		return role + "@tcp(127.0.0.1:3306)/test"
	}
	return dsn
}

// expect checks that expr has exactly one series at instant at, with value want.
func expect(t *testing.T, base string, at time.Time, expr string, want float64) {
	t.Helper()
	got, ok := queryAt(t, base, expr, at)
	if !ok || math.Abs(got-want) > 1e-9 {
		t.Errorf("%s at %s = %v (found: %v), want %v", expr, at.Format(time.RFC3339), got, ok, want)
	}
}

// queryAt is query at a past instant.
func queryAt(t *testing.T, base, expr string, at time.Time) (float64, bool) {
	t.Helper()
	var data struct {
		Result []struct {
			Value [2]any `json:"value"`
		} `json:"result"`
	}
	path := "/api/v1/query?query=" + url.QueryEscape(expr) + "&time=" + strconv.FormatInt(at.Unix(), 10)
	if err := getJSON(base, path, &data); err != nil {
		t.Fatalf("query %s: %v", expr, err)
	}
	if len(data.Result) != 1 {
		return float64(len(data.Result)), false
	}
	s, _ := data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("query %s: value %q: %v", expr, s, err)
	}
	return v, true
}
