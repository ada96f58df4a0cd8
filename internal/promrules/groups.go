package promrules

import (
	"fmt"

	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
)

// MaxRulesPerGroup is Grafana Mimir's default ruler limit; Prometheus has none, but rule files
// must load into either.
const MaxRulesPerGroup = 20

// kpiRules are one KPI's recording rules and the alerts that read them.
type kpiRules struct {
	records []rulefmt.Rule
	alerts  []rulefmt.Rule
}

func (r kpiRules) size() int { return len(r.records) + len(r.alerts) }

// objectiveGroups packs the rules of an objective's KPIs into groups of at most
// MaxRulesPerGroup rules. A KPI is never split across groups, and every group lists its
// recordings before its alerts, since Prometheus evaluates a group's rules in order.
func objectiveGroups(m *definition.Model, o *definition.Objective, kpis []*definition.KPI) ([]rulefmt.RuleGroup, error) {
	var groups []rulefmt.RuleGroup
	var cur []kpiRules
	used := 0
	for _, k := range kpis {
		r, err := compileKPI(m, o, k)
		if err != nil {
			return nil, err
		}
		if used+r.size() > MaxRulesPerGroup && len(cur) > 0 {
			groups = append(groups, group(m, groupName(o.Name, len(groups)), cur))
			cur, used = nil, 0
		}
		cur = append(cur, r)
		used += r.size()
	}
	return append(groups, group(m, groupName(o.Name, len(groups)), cur)), nil
}

// groupName keeps the first group named after the objective alone, so that adding KPIs does not
// rename it (a renamed group loses the pending state of its alerts).
func groupName(objective string, index int) string {
	if index == 0 {
		return objective
	}
	return fmt.Sprintf("%s-%d", objective, index+1)
}

// group lays out the recordings of all its KPIs first, then their alerts.
func group(m *definition.Model, name string, kpis []kpiRules) rulefmt.RuleGroup {
	g := rulefmt.RuleGroup{Name: name, Interval: m.Settings.Rules.Interval}
	for _, r := range kpis {
		g.Rules = append(g.Rules, r.records...)
	}
	for _, r := range kpis {
		g.Rules = append(g.Rules, r.alerts...)
	}
	return g
}

// compileKPI builds the recordings and alerts of one KPI.
func compileKPI(m *definition.Model, o *definition.Objective, k *definition.KPI) (kpiRules, error) {
	records, err := recordings(m, o, k)
	if err != nil {
		return kpiRules{}, fmt.Errorf("promrules: kpi %s: %w", k.Name, err)
	}
	return kpiRules{records: records, alerts: alerts(m, o, k)}, nil
}

// ruleLabels are settings.rules.labels plus the KPI's own labels, which win on a clash.
func ruleLabels(m *definition.Model, own map[string]string) map[string]string {
	out := make(map[string]string, len(m.Settings.Rules.Labels)+len(own))
	for k, v := range m.Settings.Rules.Labels {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}
