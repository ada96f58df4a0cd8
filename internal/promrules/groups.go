package promrules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/definition"
)

// MaxRulesPerGroup is Grafana Mimir's default ruler limit; Prometheus has none, but rule files
// must load into either.
const MaxRulesPerGroup = 20

// GroupPrefix starts the name of a group of KPIs evaluated on their own: kpi:<name>, or
// kpi:<a>+<b> for KPIs built on one another, which share a group so that Prometheus evaluates
// the inputs first.
const GroupPrefix = "kpi:"

// ObjectivePrefix starts the name of an objective's group, objective:<name>: its period, the
// values of its KPIs computed from kpic's gauges, and all its KPIs' constants, each series name
// in one rule whose expression has one line (a leg) per KPI.
const ObjectivePrefix = "objective:"

// layout is where each KPI's rules go: the legs its objective's group fuses, and the groups of
// KPIs evaluated on their own (keyed by the objective whose file holds them).
type layout struct {
	legs map[string][]leg // by objective, in KPI name order
	own  map[string][]rulefmt.RuleGroup
}

// kpiLayout places every KPI. A KPI whose value kpic generates from its gauges (query, metric,
// ratio and growth KPIs) and that reads no other KPI's kpi:value is a leg of its objective's
// kpi:value rule: Prometheus pays a fixed cost per rule of each evaluation, whatever the rule
// computes, and a rule per KPI made 1,000 KPIs cost seconds per cycle. An expr KPI is a rule of
// its own, so that user-written PromQL failing at evaluation (a many-to-many match, say) takes
// no other KPI's value down; KPIs whose values read one another share a group, in dependency
// order. Constants are always legs: they depend on nothing. Nothing is placed by position, so
// adding, removing or reordering other KPIs never moves a KPI to another group or rule.
func kpiLayout(m *definition.Model) (layout, error) {
	l := layout{legs: map[string][]leg{}, own: map[string][]rulefmt.RuleGroup{}}
	for _, set := range dependencySets(m) {
		fused := len(set) == 1 && set[0].Kind != definition.KindExpr
		var rules [][]rulefmt.Rule
		for _, k := range set {
			value, err := valueExpr(m, k)
			if err != nil {
				return l, fmt.Errorf("promrules: kpi %s: %w", k.Name, err)
			}
			if fused {
				l.legs[k.Objective] = append(l.legs[k.Objective], leg{SeriesValue, Leg{KPI: k.Name, Expr: withKPI(k.Name, value)}})
				continue
			}
			rules = append(rules, []rulefmt.Rule{{Record: SeriesValue, Expr: value, Labels: ruleLabels(m, map[string]string{"kpi": k.Name})}})
		}
		if fused {
			continue
		}
		objective := firstByName(set).Objective
		l.own[objective] = append(l.own[objective], pack(m, set, rules)...)
	}
	for _, k := range m.KPIs {
		o := m.Objective(k.Objective)
		if o == nil {
			return l, fmt.Errorf("promrules: kpi %s: unknown objective %q", k.Name, k.Objective)
		}
		l.legs[k.Objective] = append(l.legs[k.Objective], constantLegs(m, o, k)...)
	}
	return l, nil
}

// objectiveGroup holds an objective's period as series the shared rules join on, then one rule
// per recorded series fusing its KPIs' legs, sorted by KPI so that a KPI added or removed
// changes one line of each. The kpi:value rule comes first; the constants need nothing of it.
func objectiveGroup(m *definition.Model, o *definition.Objective, legs []leg) rulefmt.RuleGroup {
	own := map[string]string{"objective": o.Name}
	g := rulefmt.RuleGroup{Name: ObjectivePrefix + o.Name, Interval: m.Settings.Rules.Interval, Rules: []rulefmt.Rule{
		{Record: seriesPeriodStart, Expr: "vector(" + unix(o.Period.StartTime().Unix()) + ")", Labels: ruleLabels(m, own)},
		{Record: seriesPeriodEnd, Expr: "vector(" + unix(o.Period.EndTime().Unix()) + ")", Labels: ruleLabels(m, own)},
	}}
	slices.SortStableFunc(legs, func(a, b leg) int { return strings.Compare(a.KPI, b.KPI) })
	for _, record := range fusedRecords {
		var lines []Leg
		for _, l := range legs {
			if l.record == record {
				lines = append(lines, l.Leg)
			}
		}
		if len(lines) > 0 {
			g.Rules = append(g.Rules, rulefmt.Rule{Record: record, Expr: Fuse(lines), Labels: ruleLabels(m, nil)})
		}
	}
	return g
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

// legSeparator starts every line of a fused rule but the first.
const legSeparator = "\nor "

// Leg is one KPI's line of a rule of an objective's group.
type Leg struct{ KPI, Expr string }

// fusedRecords are the series an objective's group records in rules of several KPIs.
var fusedRecords = append([]string{SeriesValue}, constantRecords...)

// Legs splits a rule of an objective's group into its KPIs' lines, for tools that evaluate
// the legs of some KPIs only (kpic test); ok is false for any other rule.
func Legs(r rulefmt.Rule) (legs []Leg, ok bool) {
	if r.Labels["kpi"] != "" || !slices.Contains(fusedRecords, r.Record) {
		return nil, false
	}
	p := parser.NewParser(parser.Options{})
	for _, line := range strings.Split(r.Expr, legSeparator) {
		node, err := p.ParseExpr(line)
		if err != nil {
			return nil, false
		}
		kpi := legKPI(node)
		if kpi == "" {
			return nil, false
		}
		legs = append(legs, Leg{KPI: kpi, Expr: line})
	}
	return legs, true
}

// legKPI is the KPI a leg names: the kpi label its label_replace sets, or the kpi matcher of
// its kpic:literal.
func legKPI(node parser.Node) string {
	if c, ok := node.(*parser.Call); ok && c.Func.Name == "label_replace" && len(c.Args) == 5 {
		if dst, ok := c.Args[1].(*parser.StringLiteral); ok && dst.Val == "kpi" {
			if v, ok := c.Args[2].(*parser.StringLiteral); ok {
				return v.Val
			}
		}
	}
	kpi := ""
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && vs.Name == seriesLiteral {
			for _, m := range vs.LabelMatchers {
				if m.Name == "kpi" && m.Type == labels.MatchEqual {
					kpi = m.Value
				}
			}
		}
		return nil
	})
	return kpi
}

// Fuse joins legs into the expression of an objective's rule, one line each.
func Fuse(legs []Leg) string {
	exprs := make([]string, len(legs))
	for i, l := range legs {
		exprs[i] = l.Expr
	}
	return strings.Join(exprs, legSeparator)
}
