package definition

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/prometheus/common/model"
)

// loadString loads one definitions file made of base plus extra, failing the test on errors.
func loadString(t *testing.T, extra string) *Model {
	t.Helper()
	base := `
sources: [{name: db, driver: sqlite, dsn: "${DB}", query_timeout: 10s}, {name: other, driver: sqlite, dsn: x.db}]
teams: [{name: growth, slack_channel: "#growth"}]
objectives: [{name: grow, title: Grow, owner: growth, period: {start: 2026-01-01, end: 2026-12-31}}]
metrics:
  - {name: on_db, help: h, source: db, query: SELECT 1 AS value}
  - {name: on_other, help: h, source: other, interval: 2m, timeout: 5s, series_limit: 7, query: SELECT 1 AS value}
kpis:
  - {name: k, objective: grow, owner: growth, metric: on_db, target: {direction: higher, value: 1}, supporting: [on_db]}
`
	m, diags := LoadFS(fstest.MapFS{"a.yaml": {Data: []byte(base)}, "b.yaml": {Data: []byte(extra)}}, "kpis")
	if m == nil {
		t.Fatalf("load failed:\n%s", diags.Error())
	}
	return m
}

// TestDefaults checks that each default is applied by the section that owns it, and that
// written values win.
func TestDefaults(t *testing.T) {
	minutes := func(n int) model.Duration { return model.Duration(time.Duration(n) * time.Minute) }
	tests := []struct {
		name  string
		extra string
		got   func(m *Model) any
		want  any
	}{
		{"the namespace defaults to business", "", func(m *Model) any { return m.Settings.Namespace }, "business"},
		{"rules are in Prometheus format by default", "", func(m *Model) any { return m.Settings.Rules.Format }, "prometheus"},
		{"rules are evaluated every minute by default", "", func(m *Model) any { return m.Settings.Rules.Interval }, minutes(1)},
		{"the forecast looks at a week by default", "", func(m *Model) any { return m.Settings.Rules.ForecastWindow }, minutes(7 * 24 * 60)},
		{"the Slack URL file has a default path", "", func(m *Model) any { return m.Settings.Alertmanager.SlackAPIURLFile }, "/etc/alertmanager/secrets/slack_api_url"},
		{"alertmanager repeats every 4h by default", "", func(m *Model) any { return m.Settings.Alertmanager.RepeatInterval }, minutes(240)},
		{"group_wait 0s is kept", "settings: {alertmanager: {group_wait: 0s}}", func(m *Model) any { return m.Settings.Alertmanager.GroupWait }, model.Duration(0)},
		{"the exporter series limit defaults to 10000", "", func(m *Model) any { return m.Settings.Exporter.SeriesLimit }, 10000},
		{"values survive 3 missed intervals by default", "", func(m *Model) any { return m.Settings.Exporter.StaleIntervals }, 3},
		{"a source's timeout defaults to 30s", "", func(m *Model) any { return m.Source("other").QueryTimeout }, model.Duration(30 * time.Second)},
		{"a source opens 2 connections by default", "", func(m *Model) any { return m.Source("db").MaxOpenConns }, 2},
		{"a metric runs every default_interval", "settings: {default_interval: 5m}", func(m *Model) any { return m.Metric("on_db").Interval }, minutes(5)},
		{"a metric inherits its source's query_timeout", "", func(m *Model) any { return m.Metric("on_db").Timeout }, model.Duration(10 * time.Second)},
		{"a metric inherits the series limit", "settings: {exporter: {series_limit: 99}}", func(m *Model) any { return m.Metric("on_db").SeriesLimit }, 99},
		{"a metric's own interval wins", "", func(m *Model) any { return m.Metric("on_other").Interval }, minutes(2)},
		{"a metric's own timeout wins", "", func(m *Model) any { return m.Metric("on_other").Timeout }, model.Duration(5 * time.Second)},
		{"a KPI alert waits 15m by default", "", func(m *Model) any { return m.KPI("k").Alert.For }, minutes(15)},
		{"a KPI alert with for: 0s fires at once", "kpis: [{name: k2, objective: grow, owner: growth, expr: vector(1), target: {direction: lower, value: 1}, supporting: [k], alert: {for: 0s}}]",
			func(m *Model) any { return m.KPI("k2").Alert.For }, model.Duration(0)},
		{"the no-data alert waits 15m by default", "", func(m *Model) any { return m.KPI("k").Alert.AbsentFor }, minutes(15)},
		{"a KPI's kind comes from the field it sets", "", func(m *Model) any { return m.KPI("k").Kind }, KindMetric},
		{"a KPI without title is titled by its name", "", func(m *Model) any { return m.KPI("k").Title }, "k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(loadString(t, tt.extra)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPositions checks that Meta records where entities and fields were written.
func TestPositions(t *testing.T) {
	m := loadString(t, "")
	k := m.KPI("k")
	if got, want := k.Pos.String(), "kpis/a.yaml:9:5"; got != want {
		t.Errorf("kpi position: got %s, want %s", got, want)
	}
	if got, want := k.At("target").String(), "kpis/a.yaml:9:70"; got != want {
		t.Errorf("target position: got %s, want %s", got, want)
	}
	if got, want := k.Target.At("value").String(), "kpis/a.yaml:9:97"; got != want {
		t.Errorf("target value position: got %s, want %s", got, want)
	}
	if k.Has("alert") || !k.Has("supporting") {
		t.Errorf("Has: alert %v (want false), supporting %v (want true)", k.Has("alert"), k.Has("supporting"))
	}
}
