package ruleeval

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/promql/parser"
)

var start = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func newEval(t *testing.T, groups ...rulefmt.RuleGroup) *Evaluator {
	t.Helper()
	e, err := New(groups, Options{Start: start})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Error(err)
		}
	})
	return e
}

// series is an input series written as in promtool: `x{k="1"}` and "1+1x10".
func series(t *testing.T, desc, values string, step time.Duration) Series {
	t.Helper()
	points, err := ParseValues(values, start, step)
	if err != nil {
		t.Fatal(err)
	}
	lbls, err := parser.NewParser(parser.Options{}).ParseMetric(desc)
	if err != nil {
		t.Fatal(err)
	}
	return Series{Labels: lbls, Points: points}
}

func at(d string) time.Time {
	x, err := model.ParseDuration(d)
	if err != nil {
		panic(err)
	}
	return start.Add(time.Duration(x))
}

// valueAt queries expr at t and returns its only sample's value, or NaN when it has none.
func valueAt(t *testing.T, e *Evaluator, expr string, when time.Time) float64 {
	t.Helper()
	v, err := e.Query(expr, when)
	if err != nil {
		t.Fatal(err)
	}
	switch len(v) {
	case 0:
		return math.NaN()
	case 1:
		return v[0].F
	}
	t.Fatalf("%s at %s: %d samples, want one", expr, when, len(v))
	return 0
}

func TestRecordingRulesSeeInputsAndEarlierRules(t *testing.T) {
	e := newEval(t, rulefmt.RuleGroup{Name: "g", Interval: model.Duration(time.Minute), Rules: []rulefmt.Rule{
		{Record: "total", Expr: "sum(x)", Labels: map[string]string{"team": "a"}},
		{Record: "double", Expr: "total * 2"},
	}})
	if err := e.Add(series(t, `x{k="1"}`, "1+1x10", time.Minute), series(t, `x{k="2"}`, "10x10", time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(at("5m")); err != nil {
		t.Fatal(err)
	}
	if got := valueAt(t, e, `total{team="a"}`, at("5m")); got != 16 {
		t.Errorf("total at 5m = %v, want 16", got)
	}
	if got := valueAt(t, e, "double", at("5m")); got != 32 {
		t.Errorf("double at 5m = %v, want 32 (a rule reads the rule before it in the same evaluation)", got)
	}
	if got := valueAt(t, e, "total", at("2m")); got != 13 {
		t.Errorf("total at 2m = %v, want 13", got)
	}
	if !e.Now().Equal(at("5m")) {
		t.Errorf("Now = %s, want 5m after start", e.Now())
	}
}

func TestAlertsHonourFor(t *testing.T) {
	e := newEval(t, rulefmt.RuleGroup{Name: "g", Rules: []rulefmt.Rule{
		{Alert: "High", Expr: "x > 5", For: model.Duration(3 * time.Minute), Labels: map[string]string{"severity": "warning"},
			Annotations: map[string]string{"summary": "x is {{ $value }}"}},
	}})
	if err := e.Add(series(t, "x", "1 1 9 9 9 9 9 1", time.Minute)); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		at             string
		active, firing bool
	}{{"1m", false, false}, {"2m", true, false}, {"4m", true, false}, {"5m", true, true}, {"6m", true, true}, {"7m", false, false}}
	for _, s := range steps {
		if err := e.AdvanceTo(at(s.at)); err != nil {
			t.Fatal(err)
		}
		alerts := e.Alerts()
		if len(alerts) > 1 {
			t.Fatalf("at %s: %d alerts, want at most one", s.at, len(alerts))
		}
		if active := len(alerts) == 1; active != s.active || active && alerts[0].Firing != s.firing {
			t.Fatalf("at %s: alerts %+v, want active %v firing %v", s.at, alerts, s.active, s.firing)
		}
		if s.firing {
			a := alerts[0]
			if a.Name != "High" || a.Labels.Get("severity") != "warning" || a.Labels.Get("alertname") != "High" || a.Annotations.Get("summary") != "x is 9" {
				t.Errorf("at %s: alert %+v, want High with its labels and expanded summary", s.at, a)
			}
		}
	}
	if got := valueAt(t, e, `ALERTS{alertname="High", alertstate="firing"}`, at("6m")); got != 1 {
		t.Errorf("ALERTS firing at 6m = %v, want 1", got)
	}
}

func TestGroupsRunAtTheirOwnIntervals(t *testing.T) {
	e := newEval(t,
		rulefmt.RuleGroup{Name: "fast", Interval: model.Duration(time.Minute), Rules: []rulefmt.Rule{{Record: "fast", Expr: "x"}}},
		rulefmt.RuleGroup{Name: "slow", Interval: model.Duration(10 * time.Minute), Rules: []rulefmt.Rule{{Record: "slow", Expr: "x"}}})
	if err := e.Add(series(t, "x", "0+1x30", time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(at("25m")); err != nil {
		t.Fatal(err)
	}
	got, err := e.Select(start, at("25m"), labels.MustNewMatcher(labels.MatchEqual, model.MetricNameLabel, "slow"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Points) != 3 || got[0].Points[2].T != at("20m").UnixMilli() || got[0].Points[2].F != 20 {
		t.Fatalf("slow recorded %+v, want 0, 10 and 20 at 0m, 10m and 20m", got)
	}
	fast, err := e.Select(start, at("25m"), labels.MustNewMatcher(labels.MatchEqual, model.MetricNameLabel, "fast"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fast) != 1 || len(fast[0].Points) != 26 {
		t.Fatalf("fast recorded %d series, want one with 26 samples", len(fast))
	}
}

func TestStaleInputEndsRecordedSeries(t *testing.T) {
	e := newEval(t, rulefmt.RuleGroup{Name: "g", Rules: []rulefmt.Rule{{Record: "y", Expr: "x"}}})
	if err := e.Add(series(t, "x", "1 1 stale _ 2", time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(at("4m")); err != nil {
		t.Fatal(err)
	}
	if got := valueAt(t, e, "y", at("1m")); got != 1 {
		t.Errorf("y at 1m = %v, want 1", got)
	}
	for _, when := range []string{"2m", "3m"} {
		if got := valueAt(t, e, "y", at(when)); !math.IsNaN(got) {
			t.Errorf("y at %s = %v, want no value after the staleness marker", when, got)
		}
	}
	if got := valueAt(t, e, "y", at("4m")); got != 2 {
		t.Errorf("y at 4m = %v, want 2", got)
	}
	ys, err := e.Select(start, at("4m"), labels.MustNewMatcher(labels.MatchEqual, model.MetricNameLabel, "y"))
	if err != nil || len(ys) != 1 {
		t.Fatalf("select y: %v, %d series", err, len(ys))
	}
	if p := ys[0].Points[2]; !IsStale(p.F) || p.T != at("2m").UnixMilli() {
		t.Errorf("y's third sample %+v, want the rule's staleness marker at 2m", p)
	}
}

func TestAddRefusesSamplesBeforeTheLastEvaluation(t *testing.T) {
	e := newEval(t, rulefmt.RuleGroup{Name: "g", Rules: []rulefmt.Rule{{Record: "y", Expr: "x"}}})
	if err := e.AdvanceTo(at("5m")); err != nil {
		t.Fatal(err)
	}
	err := e.Add(series(t, "x", "1x10", time.Minute))
	if err == nil || !strings.Contains(err.Error(), "not after the last evaluation") {
		t.Fatalf("Add after evaluation = %v, want a refusal", err)
	}
}

func TestRuleErrorsAreReported(t *testing.T) {
	e := newEval(t, rulefmt.RuleGroup{Name: "g", Rules: []rulefmt.Rule{{Record: "y", Expr: "x * on() x"}}})
	if err := e.Add(series(t, `x{a="1"}`, "1", time.Minute), series(t, `x{a="2"}`, "1", time.Minute)); err != nil {
		t.Fatal(err)
	}
	err := e.AdvanceTo(start)
	if err == nil || !strings.Contains(err.Error(), `group "g" rule y`) || !strings.Contains(err.Error(), "many-to-many") {
		t.Fatalf("AdvanceTo = %v, want the rule's many-to-many error", err)
	}
}

func TestNewRefusesBadRules(t *testing.T) {
	_, err := New([]rulefmt.RuleGroup{{Name: "g", Rules: []rulefmt.Rule{{Record: "y", Expr: "sum("}}}}, Options{Start: start})
	if err == nil || !strings.Contains(err.Error(), `group "g" rule 1 (y)`) {
		t.Fatalf("New = %v, want a parse error naming the rule", err)
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Fatal("New without a start time succeeded")
	}
}

func TestParseValuesExpandsPromtoolNotation(t *testing.T) {
	got, err := ParseValues("1+2x2 _ -1x1 stale", start, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 3, 5, -1, -1, math.Float64frombits(value.StaleNaN)}
	offsets := []int{0, 1, 2, 4, 5, 6}
	if len(got) != len(want) {
		t.Fatalf("got %d samples %+v, want %d", len(got), got, len(want))
	}
	for i, p := range got {
		wantT := start.Add(time.Duration(offsets[i]) * 30 * time.Second).UnixMilli()
		same := p.F == want[i] || IsStale(p.F) && IsStale(want[i])
		if !same || p.T != wantT {
			t.Errorf("sample %d = %+v, want %v at %d", i, p, want[i], wantT)
		}
	}
	for _, bad := range []string{"1x", "abc", "1+", "{} 1"} {
		if _, err := ParseValues(bad, start, time.Minute); err == nil {
			t.Errorf("ParseValues(%q) succeeded, want an error", bad)
		}
	}
}
