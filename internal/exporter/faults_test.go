package exporter

import (
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
)

func TestBadRowsAreCountedNotFatal(t *testing.T) {
	_, path := sqliteDB(t)
	q := `SELECT 'a' AS plan, 1 AS value UNION ALL SELECT 'a', 2 UNION ALL SELECT 'b', NULL
		UNION ALL SELECT 'c', 'many' UNION ALL SELECT 'd', 4 UNION ALL SELECT 'e', 5`
	x := metric("m", q, time.Hour, "plan")
	x.SeriesLimit = 2
	_, srv := started(t, testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)}, x), &syncBuffer{})
	got := scrape(t, srv)
	for k, v := range map[string]float64{
		`business_m{plan=a}`: 1, `business_m{plan=d}`: 4,
		`kpic_series_dropped_total{query=m,reason=duplicate}`:   1,
		`kpic_series_dropped_total{query=m,reason=null}`:        1,
		`kpic_series_dropped_total{query=m,reason=non_numeric}`: 1,
		`kpic_series_dropped_total{query=m,reason=limit}`:       1,
		`kpic_query_rows{query=m}`:                              6,
	} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, ok := got[`business_m{plan=e}`]; ok {
		t.Error("a series over the limit was published")
	}
}

func TestAFailingQueryKeepsItsValuesUntilStale(t *testing.T) {
	admin, path := sqliteDB(t)
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("total", "SELECT sum(n) AS value FROM plans", 200*time.Millisecond),
		metric("other", "SELECT 1 AS value", time.Hour))
	logs := &syncBuffer{}
	_, srv := started(t, m, logs)
	t.Cleanup(func() { t.Log(logs.String()) })
	if got := scrape(t, srv)["business_total{}"]; got != 13 {
		t.Fatalf("business_total = %v, want 13", got)
	}
	failedAt := time.Now()
	if _, err := admin.Exec("ALTER TABLE plans RENAME TO gone"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a counted failure", func() bool { return scrape(t, srv)["kpic_query_errors_total{query=total,reason=query}"] >= 1 })
	if _, ok := scrape(t, srv)["business_total{}"]; !ok && time.Since(failedAt) < 400*time.Millisecond {
		t.Error("values were dropped at the first failure")
	}
	eventually(t, "stale values dropped", func() bool {
		_, ok := scrape(t, srv)["business_total{}"]
		return !ok
	})
	if took := time.Since(failedAt); took < 400*time.Millisecond {
		t.Errorf("values dropped after %v, before 3 intervals", took)
	}
	got := scrape(t, srv)
	if got["business_other{}"] != 1 || got["kpic_query_series{query=total}"] != 0 {
		t.Errorf("one failing query affected the others or its series count: %v", got)
	}
}

func TestReloadEndpoint(t *testing.T) {
	_, path := sqliteDB(t)
	good := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("total", "SELECT sum(n) AS value FROM plans", time.Hour))
	next := good
	e, srv := started(t, good, &syncBuffer{})
	e.opts.Load = func() (*definition.Model, error) { return next, nil }

	if code := reloadStatus(t, http.MethodGet, srv.URL); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /-/reload: %d, want 405", code)
	}
	next = testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: "${KPIC_TEST_UNSET_VARIABLE}"},
		metric("changed", "SELECT 1 AS value", time.Hour))
	if code := reloadStatus(t, http.MethodPost, srv.URL); code != http.StatusInternalServerError {
		t.Fatalf("POST a bad config: %d, want 500", code)
	}
	got := scrape(t, srv)
	if got["business_total{}"] != 13 || got["kpic_config_last_reload_successful{}"] != 0 {
		t.Errorf("a failed reload did not keep the old config or was not reported: %v", got)
	}
	next = testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("changed", "SELECT 7 AS value", time.Hour))
	if code := reloadStatus(t, http.MethodPost, srv.URL); code != http.StatusOK {
		t.Fatalf("POST a good config: %d, want 200", code)
	}
	eventually(t, "the new query", func() bool { return scrape(t, srv)["business_changed{}"] == 7 })
	if body := get(t, srv.URL+"/metrics"); strings.Contains(body, "business_total") || strings.Contains(body, `query="total"`) {
		t.Errorf("a removed query is still served:\n%s", body)
	}
}

func TestHealthReadyAndLandingPage(t *testing.T) {
	_, path := sqliteDB(t)
	_, srv := started(t, testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)}), &syncBuffer{})
	for url, want := range map[string]string{"/-/healthy": "Healthy", "/-/ready": "Ready", "/": "kpic"} {
		if body := get(t, srv.URL+url); !strings.Contains(body, want) {
			t.Errorf("%s: %q does not contain %q", url, body, want)
		}
	}
}

// reloadStatus calls /-/reload with method and returns the status code.
func reloadStatus(t *testing.T, method, base string) int {
	t.Helper()
	req, err := http.NewRequest(method, base+"/-/reload", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s /-/reload: %v", method, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}

// TestGaugesCollidingWithOwnSeriesAreRefused applies models that kpic check would refuse
// (they were built in Go): a gauge faking a self-metric, the Go collector's, or another
// query's gauge. Nothing is applied, so /metrics never holds two families of one name.
func TestGaugesCollidingWithOwnSeriesAreRefused(t *testing.T) {
	_, path := sqliteDB(t)
	src := &definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)}
	tests := map[string]*definition.Model{
		"kpic_source_up": withNamespace(testModel(src, metric("source_up", "SELECT 1 AS value", time.Hour)), "kpic"),
		"go_goroutines":  withNamespace(testModel(src, metric("goroutines", "SELECT 1 AS value", time.Hour)), "go"),
		"two queries":    testModel(src, metric("same", "SELECT 1 AS value", time.Hour), metric("same", "SELECT 2 AS value", time.Hour)),
	}
	for name, m := range tests {
		t.Run(name, func(t *testing.T) {
			e := New(Options{})
			defer e.Close()
			if err := e.Apply(m); err == nil || !strings.Contains(err.Error(), "collide") && !strings.Contains(err.Error(), "also published") {
				t.Errorf("Apply: %v, want the collision refused", err)
			}
		})
	}
}

func withNamespace(m *definition.Model, ns string) *definition.Model {
	m.Settings.Namespace = ns
	return m
}

// TestHugeLabelValuesAreDroppedNotServed returns rows with 20 MB label values: they are
// dropped and counted, the other rows are served, and the page stays small.
func TestHugeLabelValuesAreDroppedNotServed(t *testing.T) {
	_, path := sqliteDB(t)
	q := `SELECT 'ok' AS plan, 1 AS value
		UNION ALL SELECT 'a' || hex(zeroblob(10000000)), 2 UNION ALL SELECT 'b' || hex(zeroblob(10000000)), 3
		UNION ALL SELECT 'c' || hex(zeroblob(10000000)), 4 UNION ALL SELECT 'd' || hex(zeroblob(10000000)), 5
		UNION ALL SELECT 'e' || hex(zeroblob(10000000)), 6 UNION ALL SELECT printf('%.1024c', 'x'), 7`
	_, srv := started(t, testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("m", q, time.Hour, "plan")), &syncBuffer{})
	page := get(t, srv.URL+"/metrics")
	got := scrape(t, srv)
	if got[`business_m{plan=ok}`] != 1 || got[`business_m{plan=`+strings.Repeat("x", 1024)+`}`] != 7 || got[`kpic_series_dropped_total{query=m,reason=label_length}`] != 5 {
		t.Errorf("ok=%v, 1024-byte label=%v, dropped for length=%v", got[`business_m{plan=ok}`],
			got[`business_m{plan=`+strings.Repeat("x", 1024)+`}`], got[`kpic_series_dropped_total{query=m,reason=label_length}`])
	}
	if len(page) > 200_000 {
		t.Errorf("/metrics is %d bytes", len(page))
	}
	runtime.GC()
	t.Logf("/metrics is %d bytes; test process resident memory after the run: %s", len(page), rss())
}
