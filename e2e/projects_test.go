//go:build e2e

package e2e

import (
	"database/sql"
	"fmt"
	"maps"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/demo/stack"
)

// project is one kpic project of TestReplicasAndProjectsShareOnePrometheus: its definitions,
// its database and the kpic serve replicas that export it.
type project struct {
	name     string
	db       backend
	defs     string   // definitions folder
	out      string   // kpic build output
	replicas []string // host:port of each kpic serve
}

// TestReplicasAndProjectsShareOnePrometheus runs two projects that define the same KPIs on
// different data into one Prometheus: east on PostgreSQL behind two kpic serve replicas, west on
// SQLite behind one. Every kpi:value and kpi:status must equal what each project's own SQL data
// gives, at every evaluation: with both replicas up, after the data changes, and while one
// replica is down. A KPI built on other KPIs must agree with its inputs at every evaluation.
func TestReplicasAndProjectsShareOnePrometheus(t *testing.T) {
	prom := need(t, "prometheus", installPrometheus)
	dir := t.TempDir()
	east := newProject(t, dir, "east", postgresBackend(t))
	west := newProject(t, dir, "west", sqliteBackend(t))
	seedProject(t, east.db, 42, 50, map[string]int{"free": 40, "pro": 25, "team": 6}, 6, 100)
	seedProject(t, west.db, 17, 20, map[string]int{"free": 12, "pro": 30}, 1, 40)

	serve := func(p *project, replica int) *procHandle {
		addr := freeAddr(t)
		rdir := filepath.Join(dir, fmt.Sprintf("%s-%d", p.name, replica))
		if err := os.MkdirAll(rdir, 0o755); err != nil {
			t.Fatal(err)
		}
		proc := start(t, rdir, fmt.Sprintf("kpic serve %s replica %d", p.name, replica), "/metrics", addr,
			[]string{"E2E_DSN=" + p.db.dsn}, kpicBin, "serve", "--config.dir="+p.defs, "--web.listen-address="+addr)
		p.replicas = append(p.replicas, addr)
		return &procHandle{proc: proc, addr: addr}
	}
	serve(east, 1)
	eastSecond := serve(east, 2)
	serve(west, 1)
	promAddr := freeAddr(t)
	targets := append(append([]string{}, east.replicas...), west.replicas...)
	startPrometheusOf(t, prom, dir, promAddr, targets, append(ruleFiles(t, east.out), ruleFiles(t, west.out)...), "")
	base := "http://" + promAddr
	began := time.Now()

	t.Run("Prometheus loads both projects' rules without errors", func(t *testing.T) {
		rulesHealthy(t, running{prometheus: base})
	})
	t.Run("each gauge is scraped once per replica", func(t *testing.T) {
		for _, p := range []*project{east, west} {
			want := len(p.replicas)
			eventually(t, 30*time.Second, p.name+" copies of biz_active_accounts", func() string {
				if got := len(vector(t, base, `biz_active_accounts{project="`+p.name+`"}`)); got != want {
					return fmt.Sprintf("%d series, want one per replica (%d)", got, want)
				}
				return ""
			})
		}
	})
	t.Run("every KPI of each project equals its own data", func(t *testing.T) {
		exact(t, base, east, west)
	})
	t.Run("after the data changes, each project follows its own data", func(t *testing.T) {
		mustExec(t, east.db.db, "UPDATE accounts SET active = 0 WHERE id > 35")
		mustExec(t, east.db.db, "INSERT INTO subscriptions (id, plan) VALUES (1001, 'team'), (1002, 'team')")
		mustExec(t, west.db.db, "UPDATE payments SET failed = 1 WHERE id <= 5")
		exact(t, base, east, west)
	})
	t.Run("with one of east's replicas down the numbers stay exact", func(t *testing.T) {
		if err := eastSecond.proc.Stop(10 * time.Second); err != nil {
			t.Fatal(err)
		}
		eventually(t, 30*time.Second, "Prometheus sees the stopped replica down", func() string {
			if v, ok := query(t, base, `up{instance="`+eastSecond.addr+`"}`); !ok || v != 0 {
				return fmt.Sprintf("up is %v (present %v)", v, ok)
			}
			return ""
		})
		mustExec(t, east.db.db, "UPDATE accounts SET active = 1 WHERE id <= 45")
		exact(t, base, east, west)
	})
	t.Run("at every evaluation each KPI has one series per project and a KPI built on KPIs agrees with its inputs", func(t *testing.T) {
		end := time.Now()
		for _, p := range []string{"east", "west"} {
			of := func(kpi string) string { return `kpi:value{kpi="` + kpi + `",project="` + p + `"}` }
			for _, kpi := range []string{"active_accounts", "subscriptions_total", "payment_failure_ratio", "subscriptions_per_account"} {
				// count_over_time would hide duplicates: count the series at every step instead.
				for _, pt := range rangeQuery(t, base, "count("+of(kpi)+")", began, end) {
					if pt.value != 1 {
						t.Errorf("%s %s at %s: %v series of kpi:value, want 1", p, kpi, pt.at.Format(time.TimeOnly), pt.value)
						break
					}
				}
			}
			lag := "abs(" + of("subscriptions_per_account") + " - ignoring(kpi) (" +
				of("subscriptions_total") + " / ignoring(kpi) " + of("active_accounts") + ")) > 1e-12"
			if pts := rangeQuery(t, base, lag, began, end); len(pts) > 0 {
				t.Errorf("%s: subscriptions_per_account disagrees with its inputs at %d steps, first at %s by %v",
					p, len(pts), pts[0].at.Format(time.TimeOnly), pts[0].value)
			}
		}
	})
}

// procHandle is one kpic serve the test stops on purpose.
type procHandle struct {
	proc *stack.Proc
	addr string
}

// newProject writes the projects catalog for name with its database and builds it.
func newProject(t *testing.T, dir, name string, b backend) *project {
	t.Helper()
	p := &project{name: name, db: b, defs: filepath.Join(dir, name, "kpis"), out: filepath.Join(dir, name, "out")}
	data, err := os.ReadFile("testdata/projects/kpis.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(p.defs, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(p.defs, "kpis.yaml"), []byte(strings.ReplaceAll(string(data), "PROJECT", name)))
	source := "sources:\n  - name: db\n    driver: " + b.driver + "\n    dsn: ${E2E_DSN}\n    query_timeout: 5s\n"
	write(t, filepath.Join(p.defs, "source.yaml"), []byte(source))
	build(t, []string{"E2E_DSN=" + b.dsn}, p.out, p.defs)
	return p
}

// seedProject creates the tables: active of accounts accounts active, subscriptions by plan, and
// failed of payments payments failed.
func seedProject(t *testing.T, b backend, active, accounts int, plans map[string]int, failed, payments int) {
	t.Helper()
	for _, s := range schema {
		mustExec(t, b.db, s)
	}
	mustExec(t, b.db, `CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, plan TEXT NOT NULL)`)
	for i := 1; i <= accounts; i++ {
		mustExec(t, b.db, "INSERT INTO accounts (id, active) VALUES ($1, $2)", i, boolInt(i <= active))
	}
	id := 0
	for _, plan := range slices.Sorted(maps.Keys(plans)) {
		for range plans[plan] {
			id++
			mustExec(t, b.db, "INSERT INTO subscriptions (id, plan) VALUES ($1, $2)", id, plan)
		}
	}
	for i := 1; i <= payments; i++ {
		mustExec(t, b.db, "INSERT INTO payments (id, failed) VALUES ($1, $2)", i, boolInt(i <= failed))
	}
}

// truth is what a project's KPIs must be, computed from its database by the test's own SQL.
type truth map[string]float64 // series key (kpi, plus plan for the breakdown) → value

// groundTruth reads the project's tables and returns every kpi:value and kpi:status it implies.
func groundTruth(t *testing.T, db *sql.DB) (values, statuses truth) {
	t.Helper()
	one := func(q string) float64 {
		var v float64
		if err := db.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	active := one("SELECT count(*) FROM accounts WHERE active = 1")
	subs := one("SELECT count(*) FROM subscriptions")
	failed := one("SELECT count(*) FROM payments WHERE failed = 1")
	payments := one("SELECT count(*) FROM payments")
	values = truth{
		"active_accounts":           active,
		"subscriptions_total":       subs,
		"payment_failure_ratio":     failed / payments,
		"subscriptions_per_account": subs / active,
	}
	rows, err := db.Query("SELECT plan, count(*) FROM subscriptions GROUP BY plan")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var plan string
		var n float64
		if err := rows.Scan(&plan, &n); err != nil {
			t.Fatal(err)
		}
		values["subscriptions_by_plan/"+plan] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// The catalog's targets and critical bounds, as in testdata/projects/kpis.yaml.
	bounds := map[string]struct {
		higher           bool
		target, critical float64
	}{
		"active_accounts":           {true, 40, 30},
		"subscriptions_total":       {true, 60, 30},
		"subscriptions_by_plan":     {true, 20, 10},
		"payment_failure_ratio":     {false, 0.05, 0.1},
		"subscriptions_per_account": {true, 1.5, 1},
	}
	statuses = truth{}
	for key, v := range values {
		b := bounds[strings.SplitN(key, "/", 2)[0]]
		if !b.higher {
			v, b.target, b.critical = -v, -b.target, -b.critical
		}
		switch {
		case v >= b.target:
			statuses[key] = 0
		case v > b.critical:
			statuses[key] = 1
		default:
			statuses[key] = 2
		}
	}
	return values, statuses
}

// exact waits until Prometheus holds, for each project, exactly the kpi:value and kpi:status
// series its data gives, with exactly those values, and no other series of that project.
func exact(t *testing.T, base string, projects ...*project) {
	t.Helper()
	for _, p := range projects {
		values, statuses := groundTruth(t, p.db.db)
		for series, want := range map[string]truth{"kpi:value": values, "kpi:status": statuses} {
			eventually(t, 30*time.Second, p.name+" "+series, func() string {
				got := truth{}
				for _, s := range vector(t, base, series+`{project="`+p.name+`"}`) {
					key := s.labels["kpi"]
					if plan := s.labels["plan"]; plan != "" {
						key += "/" + plan
					}
					if _, dup := got[key]; dup {
						return fmt.Sprintf("two series for %s", key)
					}
					got[key] = s.value
				}
				return diffTruth(got, want)
			})
			t.Logf("%s %s: %v", p.name, series, want)
		}
	}
}

// diffTruth says how got differs from want, or "" when they are equal (values to 1e-12).
func diffTruth(got, want truth) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		switch {
		case !ok:
			out = append(out, k+" missing, want "+strconv.FormatFloat(want[k], 'g', -1, 64))
		case math.Abs(g-want[k]) > 1e-12:
			out = append(out, fmt.Sprintf("%s is %v, want %v", k, g, want[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			out = append(out, k+" should not exist")
		}
	}
	return strings.Join(out, "; ")
}

// point is one step of a range query.
type point struct {
	at    time.Time
	value float64
}

// rangeQuery evaluates expr every second from start to end and returns the points of every
// series it gives, in time order.
func rangeQuery(t *testing.T, base, expr string, start, end time.Time) []point {
	t.Helper()
	var data struct {
		Result []struct {
			Values [][2]any `json:"values"`
		} `json:"result"`
	}
	q := url.Values{"query": {expr}, "start": {unix(start)}, "end": {unix(end)}, "step": {"1"}}
	if err := getJSON(base, "/api/v1/query_range?"+q.Encode(), &data); err != nil {
		t.Fatalf("query_range %s: %v", expr, err)
	}
	var out []point
	for _, r := range data.Result {
		for _, v := range r.Values {
			ts, _ := v[0].(float64)
			out = append(out, point{at: time.Unix(int64(ts), 0), value: parseValue(t, expr, v[1])})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
