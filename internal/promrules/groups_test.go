package promrules

import (
	"fmt"
	"slices"
	"strings"
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

// rulesByKPI lists every rule or leg of a rule that computes a series of one KPI, as
// "<record> <kpi>", with the file, group and text that hold it; the shared rules are keyed
// "<group> <name> #<index>".
func rulesByKPI(t *testing.T, files []RuleFile) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range files {
		for _, g := range f.Groups {
			for i, r := range g.Rules {
				where := fmt.Sprintf("%s %s", f.Path, g.Name)
				if kpi := r.Labels["kpi"]; kpi != "" {
					out[r.Record+" "+kpi] = fmt.Sprintf("%s %s", where, r.Expr)
					continue
				}
				if !strings.HasPrefix(g.Name, ObjectivePrefix) || !strings.HasPrefix(r.Record, "kpi:") {
					out[fmt.Sprintf("%s %s #%d", g.Name, r.Record+r.Alert, i)] = fmt.Sprintf("%s %s %v %v", where, r.Expr, r.For, r.Annotations)
					continue
				}
				legs, ok := Legs(r)
				if !ok {
					t.Fatalf("%s: a leg of %s names no KPI: %s", g.Name, r.Record, r.Expr)
				}
				if Fuse(legs) != r.Expr {
					t.Errorf("%s: %s does not fuse back from its legs", g.Name, r.Record)
				}
				for _, l := range legs {
					id := r.Record + " " + l.KPI
					if _, dup := out[id]; dup {
						t.Errorf("%s is computed twice", id)
					}
					out[id] = fmt.Sprintf("%s %s", where, l.Expr)
				}
			}
		}
	}
	return out
}

// TestGroupsFitMimirsLimit checks the group layout on many KPIs: at most MaxRulesPerGroup rules,
// unique names, every KPI's constants and (but for expr KPIs) value in its objective's group,
// an expr KPI's value in a group of its own named after it.
func TestGroupsFitMimirsLimit(t *testing.T) {
	m := generatedModel(300)
	files, err := Groups(m)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	groups := 0
	for _, f := range files {
		for _, g := range f.Groups {
			groups++
			if names[g.Name] {
				t.Errorf("group name %q is used twice", g.Name)
			}
			names[g.Name] = true
			if len(g.Rules) > MaxRulesPerGroup || len(g.Rules) == 0 {
				t.Errorf("group %s has %d rules", g.Name, len(g.Rules))
			}
			for _, r := range g.Rules {
				if r.Record == seriesLiteral {
					t.Errorf("group %s records %s, which the constants need to be absent", g.Name, seriesLiteral)
				}
			}
		}
	}
	placed := rulesByKPI(t, files)
	for _, k := range m.KPIs {
		for _, record := range []string{SeriesValue, SeriesTarget, SeriesInfo} {
			where, ok := placed[record+" "+k.Name]
			if !ok {
				t.Errorf("no %s for kpi %s", record, k.Name)
				continue
			}
			group := ObjectivePrefix + k.Objective
			if record == SeriesValue && k.Kind == definition.KindExpr {
				group = GroupPrefix + k.Name
			}
			if want := Dir + k.Objective + ".rules.yml " + group + " "; !strings.HasPrefix(where, want) {
				t.Errorf("%s of kpi %s is in %s, want %s", record, k.Name, where, want)
			}
		}
	}
	// 31 objectives, 60 expr KPIs, the shared groups and alerts: the group count no longer
	// grows with every KPI, which is what keeps Prometheus' fixed cost per group and rule low.
	if want := 31 + 60 + 2 + len(partitions(m)); groups != want {
		t.Errorf("%d groups, want %d", groups, want)
	}
}

// placement maps every rule, or leg of a fused rule, to the file and group that hold it, and
// its text.
func placement(t *testing.T, m *definition.Model) map[string]string {
	t.Helper()
	files, err := Groups(m)
	if err != nil {
		t.Fatal(err)
	}
	return rulesByKPI(t, files)
}

// TestChangingOtherKPIsMovesNoRule adds a KPI first in the definitions, removes one and
// reorders them: every other KPI's rules and legs stay in their file, group and rule, unchanged.
func TestChangingOtherKPIsMovesNoRule(t *testing.T) {
	base := generatedModel(40)
	before := placement(t, base)
	newcomer := kpi("aaa_first", "First", "dollars", definition.KindQuery, higher(fixed("5")), "1")
	newcomer.Objective, newcomer.Source, newcomer.Query = "objective_1", "db", "SELECT 1 AS value"
	tests := []struct {
		name   string
		change func(m *definition.Model)
	}{
		{"a KPI added first in a file", func(m *definition.Model) { m.KPIs = append([]*definition.KPI{newcomer}, m.KPIs...) }},
		{"a KPI removed", func(m *definition.Model) { m.KPIs = m.KPIs[1:] }},
		{"the KPIs reversed", func(m *definition.Model) { slices.Reverse(m.KPIs) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := generatedModel(40)
			tt.change(m)
			after := placement(t, m)
			for id, was := range before {
				now, ok := after[id]
				if !ok {
					if !strings.HasSuffix(id, " kpi_0") {
						t.Errorf("rule %s is gone", id)
					}
					continue
				}
				if now != was {
					t.Errorf("rule %s moved or changed:\n was %s\n now %s", id, was, now)
				}
			}
		})
	}
}

// recordsOf lists the series recorded for the first KPI of m, value first.
func recordsOf(t *testing.T, m *definition.Model) []string {
	t.Helper()
	l, err := kpiLayout(m)
	if err != nil {
		t.Fatal(err)
	}
	k := m.KPIs[0]
	var out []string
	for _, g := range l.own[k.Objective] {
		for _, r := range g.Rules {
			if r.Labels["kpi"] == k.Name {
				out = append(out, r.Record)
			}
		}
	}
	for _, lg := range l.legs[k.Objective] {
		if lg.KPI == k.Name {
			out = append(out, lg.record)
		}
	}
	return out
}

// TestRuleSelection checks which series a KPI gets recorded, by its settings.
func TestRuleSelection(t *testing.T) {
	off := false
	tests := []struct {
		name    string
		change  func(k *definition.KPI)
		records []string
	}{
		{"a KPI with a ramp and a critical bound gets its value, constants and alert tuning", func(*definition.KPI) {},
			[]string{SeriesValue, SeriesTarget, SeriesCritical, seriesFinal, SeriesInfo, seriesAlertConfig}},
		{"a KPI without a critical bound has no kpi:critical", func(k *definition.KPI) { k.Critical = nil },
			[]string{SeriesValue, SeriesTarget, seriesFinal, SeriesInfo, seriesAlertConfig}},
		{"a fixed target is its own final target", func(k *definition.KPI) { k.Target = higher(fixed("3")) },
			[]string{SeriesValue, SeriesTarget, SeriesCritical, SeriesInfo, seriesAlertConfig}},
		{"alert.disabled drops the alert tuning, so no shared alert selects the KPI", func(k *definition.KPI) { k.Alert.Disabled = true },
			[]string{SeriesValue, SeriesTarget, SeriesCritical, seriesFinal, SeriesInfo}},
		{"a ratio records when its inputs are absent", func(k *definition.KPI) {
			k.Kind, k.Ratio = definition.KindRatio, &definition.Ratio{Numerator: "churned", Denominator: "customers"}
		}, []string{SeriesValue, SeriesTarget, SeriesCritical, seriesFinal, SeriesInfo, seriesAlertConfig, seriesInputsAbsent}},
		{"alert.forecast false is told to the shared KPIAtRisk", func(k *definition.KPI) { k.Alert.Forecast = &off },
			[]string{SeriesValue, SeriesTarget, SeriesCritical, seriesFinal, SeriesInfo, seriesAlertConfig}},
		{"an expr KPI has its value in a group of its own", func(k *definition.KPI) { k.Kind, k.Expr = definition.KindExpr, "sum(up)" },
			[]string{SeriesValue, SeriesTarget, SeriesCritical, seriesFinal, SeriesInfo, seriesAlertConfig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel()
			m.KPIs = m.KPIs[:1]
			tt.change(m.KPIs[0])
			if got := recordsOf(t, m); fmt.Sprint(got) != fmt.Sprint(tt.records) {
				t.Errorf("recordings %v, want %v", got, tt.records)
			}
		})
	}
}

// TestAlertPartitions checks the shared alerts: a file and group per duration KPIs wait, each
// alert only where some KPI of the partition needs it.
func TestAlertPartitions(t *testing.T) {
	off := false
	m := testModel()
	m.KPIs = m.KPIs[:3] // revenue and churn with a critical bound, response without
	m.KPIs[2].Alert.Forecast = &off
	m.KPIs[2].Critical = nil
	m.KPIs[2].Alert.For = dur(time.Hour)
	m.KPIs[1].Alert.AbsentFor = dur(30 * time.Minute)
	got := map[string][]string{}
	for _, f := range alertFiles(m) {
		for _, g := range f.Groups {
			got[f.Path+" "+g.Name] = ruleNames(g.Rules)
		}
	}
	want := map[string][]string{
		"deploy/prometheus/kpic.alerts.30m.rules.yml kpic:alerts:30m":               {AlertNoData},
		"deploy/prometheus/kpic.alerts.1h.rules.yml kpic:alerts:1h":                 {AlertOffTarget},
		"deploy/prometheus/kpic.alerts.2h.rules.yml kpic:alerts:2h":                 {AlertOffTarget, AlertCritical, AlertAtRisk, AlertNoData},
		"deploy/prometheus/kpic.alerts.2h-runbook.rules.yml kpic:alerts:2h:runbook": {AlertOffTarget, AlertCritical, AlertAtRisk, AlertNoData},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("alert groups %v\nwant %v", got, want)
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

// TestLegsNameTheirKPIWhateverTheTitleSays splits a rule whose KPI titles imitate the labels of
// another KPI's line: each line still belongs to the KPI it computes.
func TestLegsNameTheirKPIWhateverTheTitleSays(t *testing.T) {
	m := testModel()
	m.KPIs = m.KPIs[:2]
	m.KPIs[0].Title = `x",kpi="` + m.KPIs[1].Name + `"} or absent(kpic:literal{kpi="evil`
	m.KPIs[1].Title = `"kpi", "evil", "", "")`
	files, err := Groups(m)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				legs, ok := Legs(r)
				if !ok {
					continue
				}
				seen++
				var got []string
				for _, l := range legs {
					got = append(got, l.KPI)
				}
				want := slices.Sorted(slices.Values([]string{m.KPIs[0].Name, m.KPIs[1].Name}))
				if r.Record == SeriesCritical || r.Record == seriesFinal || r.Record == seriesInputsAbsent {
					continue // not every KPI has these
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: legs of %v, want %v", r.Record, got, want)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no fused rule")
	}
}
