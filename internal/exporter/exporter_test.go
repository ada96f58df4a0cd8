package exporter

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
)

func TestServesQueryResultsAndSelfMetrics(t *testing.T) {
	_, path := sqliteDB(t)
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("plan_users", "SELECT plan, n AS value FROM plans", time.Hour, "plan"),
		metric("total", "SELECT sum(n) AS value FROM plans", time.Hour))
	_, srv := started(t, m, &syncBuffer{})
	got := scrape(t, srv)
	want := map[string]float64{
		`business_plan_users{plan=pro}`:                                3,
		`business_plan_users{plan=free}`:                               10,
		`business_total{}`:                                             13,
		`kpic_query_rows{query=plan_users}`:                            2,
		`kpic_query_series{query=plan_users}`:                          2,
		`kpic_source_up{source=db}`:                                    1,
		`kpic_query_errors_total{query=total,reason=timeout}`:          0,
		`kpic_series_dropped_total{query=plan_users,reason=duplicate}`: 0,
		`kpic_config_last_reload_successful{}`:                         1,
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
}

func TestExpositionPassesPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool not found")
		}
		t.Skip("promtool not found: apt-get install -y prometheus")
	}
	_, path := sqliteDB(t)
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("plan_users", "SELECT plan, n AS value FROM plans", time.Hour, "plan"))
	_, srv := started(t, m, &syncBuffer{})
	body := get(t, srv.URL+"/metrics")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestAppliedSeesEveryModelApplyStarts(t *testing.T) {
	_, path := sqliteDB(t)
	src := &definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)}
	first := testModel(src, metric("total", "SELECT sum(n) AS value FROM plans", time.Hour))
	second := testModel(src, metric("other", "SELECT sum(n) AS value FROM plans", time.Hour))
	bad := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: "${KPIC_TEST_UNSET_DSN}"},
		metric("total", "SELECT 1 AS value", time.Hour))
	var seen []*definition.Model
	e := New(Options{Applied: func(m *definition.Model) { seen = append(seen, m) }})
	defer e.Close()
	for _, m := range []*definition.Model{first, bad, second} {
		_ = e.Apply(m)
	}
	if len(seen) != 2 || seen[0] != first || seen[1] != second {
		t.Errorf("Applied saw %d models, want the two that applied (not the refused one)", len(seen))
	}
}
