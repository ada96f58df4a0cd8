package exporter

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/kpic/kpic/internal/definition"
	"github.com/prometheus/common/model"
)

// needPostgres skips, or fails under CI=true, when the development PostgreSQL is unreachable.
// Otherwise it creates a login role of the test's own with no privileges (kpic refuses
// superusers), drops it after the test and returns its name.
func needPostgres(t *testing.T) string {
	t.Helper()
	db, err := sql.Open("pgx", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		err = db.PingContext(ctx)
	}
	if err == nil {
		t.Cleanup(func() { db.Close() })
		role := fmt.Sprintf("kpic_t_%d", rand.Uint32())
		if _, err := db.Exec("CREATE ROLE " + role + " LOGIN"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = db.Exec("DROP ROLE IF EXISTS " + role) })
		return role
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL on 127.0.0.1:5432: %v", err)
	}
	t.Skipf("PostgreSQL is not reachable on 127.0.0.1:5432 (%v); start it to run this test", err)
	return ""
}

const secretPassword = "Zq9-very-secret-pw"

// TestDatabaseDownAtStartLostAndBack runs against PostgreSQL through a proxy: down when the
// exporter starts, up, cut mid-run, and back, without a restart. The DSN carries a password
// (trust auth ignores it) that must not show in any output.
func TestDatabaseDownAtStartLostAndBack(t *testing.T) {
	role := needPostgres(t)
	p := newProxy(t, "127.0.0.1:5432")
	p.down()
	t.Setenv("KPIC_TEST_PG", "postgres://"+role+":"+secretPassword+"@"+p.addr+"/test?sslmode=disable&connect_timeout=2")
	m := testModel(&definition.Source{Name: "db", Driver: "postgres", DSN: "${KPIC_TEST_PG}"},
		metric("answer", "SELECT 42 AS value", 300*time.Millisecond))
	logs := &syncBuffer{}
	e, srv := started(t, m, logs)
	got := scrape(t, srv)
	if got["kpic_source_up{source=db}"] != 0 || got["kpic_query_errors_total{query=answer,reason=connection}"] < 1 {
		t.Fatalf("a database down at start is not reported: up=%v", got["kpic_source_up{source=db}"])
	}
	p.up()
	eventually(t, "recovery after start", func() bool { return scrape(t, srv)["business_answer{}"] == 42 })
	p.down()
	eventually(t, "the outage reported", func() bool { return scrape(t, srv)["kpic_source_up{source=db}"] == 0 })
	p.up()
	back := time.Now()
	eventually(t, "recovery mid-run", func() bool { return scrape(t, srv)["kpic_source_up{source=db}"] == 1 })
	if took := time.Since(back); took > 2*300*time.Millisecond+time.Second {
		t.Errorf("recovered after %v, more than one interval", took)
	}
	e.opts.Load = func() (*definition.Model, error) {
		return testModel(&definition.Source{Name: "db", Driver: "postgres", DSN: "postgres://u:" + secretPassword + "@[bad"}), nil
	}
	reloadErr := e.Reload()
	outputs := map[string]string{"logs": logs.String(), "metrics": get(t, srv.URL+"/metrics"), "landing page": get(t, srv.URL+"/"), "reload error": reloadErr.Error()}
	for name, out := range outputs {
		if strings.Contains(out, secretPassword) || strings.Contains(out, p.addr+"/test") {
			t.Errorf("the %s show the DSN or its password:\n%s", name, out)
		}
	}
}

// TestAHungDatabaseReadsAsDownAndRecovers freezes PostgreSQL behind a proxy (connections stay
// open, nothing answers): the source reads as down within a few intervals, every failure is a
// timeout, and it comes back by itself once the database answers again.
func TestAHungDatabaseReadsAsDownAndRecovers(t *testing.T) {
	role := needPostgres(t)
	p := newProxy(t, "127.0.0.1:5432")
	x := metric("answer", "SELECT 42 AS value", 200*time.Millisecond)
	x.Timeout = model.Duration(300 * time.Millisecond)
	m := testModel(&definition.Source{Name: "db", Driver: "postgres",
		DSN: definition.Secret("postgres://" + role + "@" + p.addr + "/test?sslmode=disable&connect_timeout=2")}, x)
	_, srv := started(t, m, &syncBuffer{})
	eventually(t, "the first value", func() bool { return scrape(t, srv)["business_answer{}"] == 42 })
	p.freeze()
	eventually(t, "the hang reported as down", func() bool { return scrape(t, srv)["kpic_source_up{source=db}"] == 0 })
	got := scrape(t, srv)
	if got["kpic_query_errors_total{query=answer,reason=timeout}"] < 1 || got["kpic_query_errors_total{query=answer,reason=query}"] != 0 {
		t.Errorf("a hung database is not counted as timeouts: %v timeouts, %v query errors",
			got["kpic_query_errors_total{query=answer,reason=timeout}"], got["kpic_query_errors_total{query=answer,reason=query}"])
	}
	p.unfreeze()
	eventually(t, "recovery", func() bool {
		got := scrape(t, srv)
		return got["kpic_source_up{source=db}"] == 1 && got["business_answer{}"] == 42
	})
}

// TestConcurrentScrapesDuringReloadsAndRuns is meant for -race: scrapes, reloads and query
// runs all at once.
func TestConcurrentScrapesDuringReloadsAndRuns(t *testing.T) {
	_, path := sqliteDB(t)
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("plan_users", "SELECT plan, n AS value FROM plans", 5*time.Millisecond, "plan"),
		metric("total", "SELECT sum(n) AS value FROM plans", 7*time.Millisecond))
	e, srv := started(t, m, &syncBuffer{})
	e.opts.Load = func() (*definition.Model, error) { return m, nil }
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 30 {
				if got := scrape(t, srv); got["business_total{}"] != 13 && got["business_total{}"] != 0 {
					t.Errorf("business_total = %v", got["business_total{}"])
				}
			}
		})
	}
	wg.Go(func() {
		for range 10 {
			if err := e.Reload(); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
}

// TestPrivilegedAndWritingRoles serves two PostgreSQL sources: a superuser, which runs nothing
// and reads as down with reason privileged, and a role that may write a table, which runs
// with a warning and kpic_source_can_write 1.
func TestPrivilegedAndWritingRoles(t *testing.T) {
	role := needPostgres(t)
	admin, err := sql.Open("pgx", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	table := "kpic_t_" + role[len("kpic_t_"):]
	for _, q := range []string{"CREATE TABLE " + table + " (n INTEGER)", "GRANT INSERT, SELECT ON " + table + " TO " + role} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP TABLE IF EXISTS " + table) }) // before the role is dropped
	m := &definition.Model{
		Settings: definition.Settings{Namespace: "business", Exporter: definition.ExporterSettings{SeriesLimit: 100, StaleIntervals: 3}},
		Sources: []*definition.Source{
			{Name: "super", Driver: "postgres", DSN: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"},
			{Name: "writer", Driver: "postgres", DSN: definition.Secret("postgres://" + role + "@127.0.0.1:5432/test?sslmode=disable")},
		},
		Metrics: []*definition.Metric{metric("as_super", "SELECT 1 AS value", time.Hour), metric("as_writer", "SELECT 2 AS value", time.Hour)},
	}
	m.Metrics[0].Source, m.Metrics[1].Source = "super", "writer"
	logs := &syncBuffer{}
	_, srv := started(t, m, logs)
	got := scrape(t, srv)
	for k, want := range map[string]float64{
		"kpic_source_up{source=super}": 0, "kpic_query_errors_total{query=as_super,reason=privileged}": 1,
		"kpic_source_up{source=writer}": 1, "kpic_source_can_write{source=writer}": 1, "business_as_writer{}": 2,
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if _, ok := got["business_as_super{}"]; ok {
		t.Error("the superuser's query ran")
	}
	if !strings.Contains(logs.String(), "superuser") || !strings.Contains(logs.String(), "can write tables") {
		t.Errorf("the logs do not name the superuser and the writing role:\n%s", logs.String())
	}
}
