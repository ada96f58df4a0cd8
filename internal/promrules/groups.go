package promrules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
)

// MaxRulesPerGroup is Grafana Mimir's default ruler limit; Prometheus has none, but rule files
// must load into either.
const MaxRulesPerGroup = 20

// GroupPrefix starts the name of a KPI's group: kpi:<name>, or kpi:<a>+<b> for KPIs built on
// one another, which share a group so that Prometheus evaluates the inputs first.
const GroupPrefix = "kpi:"

// kpiGroups compiles the groups of every KPI, keyed by the objective whose file holds them. A
// group holds one KPI, or a set of KPIs whose values read one another's kpi:value, in
// dependency order. It is named after its KPIs, so adding, removing or reordering other KPIs
// never renames or refills it.
func kpiGroups(m *definition.Model) (map[string][]rulefmt.RuleGroup, error) {
	out := map[string][]rulefmt.RuleGroup{}
	for _, set := range dependencySets(m) {
		var rules [][]rulefmt.Rule
		for _, k := range set {
			r, err := kpiRecordings(m, k)
			if err != nil {
				return nil, fmt.Errorf("promrules: kpi %s: %w", k.Name, err)
			}
			rules = append(rules, r)
		}
		objective := firstByName(set).Objective
		out[objective] = append(out[objective], pack(m, set, rules)...)
	}
	return out, nil
}

// pack lays a dependency set into one group, or, beyond MaxRulesPerGroup rules, into
// consecutive groups in dependency order (a KPI whose input is in an earlier group may then
// read a value one evaluation old). A KPI is never split.
func pack(m *definition.Model, set []*definition.KPI, rules [][]rulefmt.Rule) []rulefmt.RuleGroup {
	var groups []rulefmt.RuleGroup
	var names []string
	var cur []rulefmt.Rule
	flush := func() {
		if len(cur) > 0 {
			groups = append(groups, rulefmt.RuleGroup{Name: groupName(names), Interval: m.Settings.Rules.Interval, Rules: cur})
		}
		names, cur = nil, nil
	}
	for i, k := range set {
		if len(cur)+len(rules[i]) > MaxRulesPerGroup {
			flush()
		}
		names = append(names, k.Name)
		cur = append(cur, rules[i]...)
	}
	flush()
	return groups
}

// groupName names a group after its KPIs, sorted so that their order does not matter.
func groupName(kpis []string) string {
	sorted := slices.Sorted(slices.Values(kpis))
	return GroupPrefix + strings.Join(sorted, "+")
}

// firstByName is the KPI of a set whose file holds the set's group: the first by name, so
// that reordering definitions never moves the group to another file.
func firstByName(set []*definition.KPI) *definition.KPI {
	return slices.MinFunc(set, func(a, b *definition.KPI) int { return strings.Compare(a.Name, b.Name) })
}
