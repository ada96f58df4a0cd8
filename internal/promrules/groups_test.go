package promrules

import (
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
)

// generatedModel has n KPIs of every kind over n/10+1 objectives, alternating direction,
// critical bounds and disabled alerts; the benchmark uses it too.
func generatedModel(n int) *definition.Model {
	m := testModel()
	m.KPIs = nil
	m.Objectives = nil
	for i := range n/10 + 1 {
		m.Objectives = append(m.Objectives, &definition.Objective{Name: fmt.Sprintf("objective_%d", i), Owner: "growth",
			Period: definition.Period{Start: day(periodStart), End: day(periodEnd - 24*time.Hour)}})
	}
	kinds := []definition.KPIKind{definition.KindQuery, definition.KindMetric, definition.KindRatio, definition.KindGrowth, definition.KindExpr}
	for i := range n {
		t := higher(ramp("10", "20"))
		if i%2 == 1 {
			t = lower(fixed("0.05"))
		}
		critical := ""
		if i%3 == 0 {
			critical = "1"
		}
		k := kpi(fmt.Sprintf("kpi_%d", i), fmt.Sprintf("KPI %d", i), definition.Units[i%len(definition.Units)], kinds[i%len(kinds)], t, critical)
		k.Objective = fmt.Sprintf("objective_%d", i%(n/10+1))
		k.Alert.Disabled = i%7 == 0
		k.Metric, k.Expr = "customers", "sum(up)"
		k.Ratio = &definition.Ratio{Numerator: "churned", Denominator: "customers"}
		k.Growth = &definition.Growth{Metric: "signups", Over: dur(time.Hour)}
		m.KPIs = append(m.KPIs, k)
	}
	return m
}

// TestGroupsFitMimirsLimit checks the group layout on many KPIs: at most MaxRulesPerGroup rules,
// a KPI never split, recordings before alerts, unique names, the first named after the objective.
func TestGroupsFitMimirsLimit(t *testing.T) {
	files, err := Groups(generatedModel(300))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	groupOf := map[string]string{}
	for _, f := range files {
		if f.Groups[0].Name != f.Objective {
			t.Errorf("first group of %s is named %q", f.Objective, f.Groups[0].Name)
		}
		for _, g := range f.Groups {
			if names[g.Name] {
				t.Errorf("group name %q is used twice", g.Name)
			}
			names[g.Name] = true
			if len(g.Rules) > MaxRulesPerGroup || len(g.Rules) == 0 {
				t.Errorf("group %s has %d rules", g.Name, len(g.Rules))
			}
			alerting := false
			for _, r := range g.Rules {
				kpi := r.Labels["kpi"]
				if prev, ok := groupOf[kpi]; ok && prev != g.Name {
					t.Errorf("kpi %s is split across groups %s and %s", kpi, prev, g.Name)
				}
				groupOf[kpi] = g.Name
				if r.Record != "" && alerting {
					t.Errorf("group %s records %s after an alert", g.Name, r.Record)
				}
				alerting = alerting || r.Alert != ""
			}
		}
	}
	if len(groupOf) != 300 {
		t.Errorf("rules cover %d KPIs, want 300", len(groupOf))
	}
}

// TestRuleSelection checks which rules a KPI gets, by its settings.
func TestRuleSelection(t *testing.T) {
	off := false
	tests := []struct {
		name          string
		change        func(k *definition.KPI)
		records, want []string
	}{
		{"a KPI with a critical bound gets every series and alert", func(*definition.KPI) {},
			[]string{SeriesValue, SeriesTarget, SeriesCritical, SeriesAttainment, SeriesStatus, SeriesForecast, SeriesInfo},
			[]string{AlertOffTarget, AlertCritical, AlertAtRisk, AlertNoData}},
		{"a KPI without a critical bound has no kpi:critical and no KPICritical", func(k *definition.KPI) { k.Critical = nil },
			[]string{SeriesValue, SeriesTarget, SeriesAttainment, SeriesStatus, SeriesForecast, SeriesInfo},
			[]string{AlertOffTarget, AlertAtRisk, AlertNoData}},
		{"alert.disabled keeps the recordings and drops every alert", func(k *definition.KPI) { k.Alert.Disabled = true },
			[]string{SeriesValue, SeriesTarget, SeriesCritical, SeriesAttainment, SeriesStatus, SeriesForecast, SeriesInfo}, nil},
		{"alert.forecast false drops KPIAtRisk only", func(k *definition.KPI) { k.Alert.Forecast = &off },
			[]string{SeriesValue, SeriesTarget, SeriesCritical, SeriesAttainment, SeriesStatus, SeriesForecast, SeriesInfo},
			[]string{AlertOffTarget, AlertCritical, AlertNoData}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel()
			m.KPIs = m.KPIs[:1]
			tt.change(m.KPIs[0])
			r, err := compileKPI(m, m.Objectives[0], m.KPIs[0])
			if err != nil {
				t.Fatal(err)
			}
			if got := ruleNames(r.records); fmt.Sprint(got) != fmt.Sprint(tt.records) {
				t.Errorf("recordings %v, want %v", got, tt.records)
			}
			if got := ruleNames(r.alerts); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("alerts %v, want %v", got, tt.want)
			}
		})
	}
}

// ruleNames lists the record or alert name of each rule, in order.
func ruleNames(rules []rulefmt.Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Record+r.Alert)
	}
	return out
}

// TestBadModelsAreErrorsNotPanics feeds models that validation should have refused.
func TestBadModelsAreErrorsNotPanics(t *testing.T) {
	tests := []struct {
		name   string
		change func(k *definition.KPI)
	}{
		{"a metric KPI naming an unknown metric", func(k *definition.KPI) { k.Kind, k.Metric = definition.KindMetric, "nope" }},
		{"a ratio KPI without its ratio", func(k *definition.KPI) { k.Kind, k.Ratio = definition.KindRatio, nil }},
		{"a growth KPI without a window", func(k *definition.KPI) {
			k.Kind, k.Growth = definition.KindGrowth, &definition.Growth{Metric: "signups"}
		}},
		{"a KPI of no known kind", func(k *definition.KPI) { k.Kind = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel()
			tt.change(m.KPIs[0])
			if _, err := Build(m); err == nil {
				t.Fatal("Build succeeded, want an error")
			}
		})
	}
}
