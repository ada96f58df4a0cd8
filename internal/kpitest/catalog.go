package kpitest

import (
	"maps"
	"slices"
	"time"

	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/promrules"
)

// Catalog is what tests are checked against and run on: the validated definitions and the rule
// groups compiled from them.
type Catalog struct {
	Model  *definition.Model
	Groups []rulefmt.RuleGroup
	alerts []string
	// pieces are Groups with each rule that fuses several KPIs' lines (an objective's group)
	// split into a rule per line with its KPI's kpi label, so that a test evaluates the lines
	// of its KPIs only; origin[i][j] is 1 + the index in Groups[i].Rules of the rule piece j
	// came from, 0 for a rule kept whole.
	pieces []rulefmt.RuleGroup
	origin [][]int
	// reads is what each rule of pieces selects; unprunable is set when some rule selects in
	// a way that cannot be followed, so every test runs every rule.
	reads      [][]ruleReads
	unprunable bool
}

// split makes the pieces of groups: every fused rule becomes one rule per KPI line.
func split(groups []rulefmt.RuleGroup) ([]rulefmt.RuleGroup, [][]int) {
	pieces := make([]rulefmt.RuleGroup, len(groups))
	origin := make([][]int, len(groups))
	for i, g := range groups {
		p := g
		p.Rules = nil
		for j, r := range g.Rules {
			legs, ok := promrules.Legs(r)
			if !ok {
				p.Rules = append(p.Rules, r)
				origin[i] = append(origin[i], 0)
				continue
			}
			for _, l := range legs {
				piece := r
				piece.Expr = l.Expr
				piece.Labels = maps.Clone(r.Labels)
				if piece.Labels == nil {
					piece.Labels = map[string]string{}
				}
				piece.Labels["kpi"] = l.KPI
				p.Rules = append(p.Rules, piece)
				origin[i] = append(origin[i], j+1)
			}
		}
		pieces[i] = p
	}
	return pieces, origin
}

// NewCatalog indexes the alert names (kpic's four, and any other the groups define), for checking test files, and which
// KPIs' rules read which other KPIs, for running only the rules a test needs.
func NewCatalog(m *definition.Model, groups []rulefmt.RuleGroup) *Catalog {
	c := &Catalog{Model: m, Groups: groups,
		alerts: []string{promrules.AlertOffTarget, promrules.AlertCritical, promrules.AlertAtRisk, promrules.AlertNoData}}
	c.pieces, c.origin = split(groups)
	c.reads = reads(c.pieces)
	for _, g := range c.reads {
		for _, r := range g {
			c.unprunable = c.unprunable || r.all
		}
	}
	for _, g := range groups {
		for _, r := range g.Rules {
			if r.Alert != "" && !slices.Contains(c.alerts, r.Alert) {
				c.alerts = append(c.alerts, r.Alert)
			}
		}
	}
	slices.Sort(c.alerts)
	return c
}

// interval is the smallest evaluation interval of the groups: the step of the evaluation.
func (c *Catalog) interval() time.Duration {
	out := time.Duration(c.Model.Settings.Rules.Interval)
	for _, g := range c.Groups {
		if i := time.Duration(g.Interval); i > 0 && (out <= 0 || i < out) {
			out = i
		}
	}
	if out <= 0 {
		out = time.Minute
	}
	return out
}

// exported lists what a `metric:` input may name: SQL metrics and SQL-backed KPIs, the series
// kpic serve exports.
func (c *Catalog) exported() []string {
	var out []string
	for _, e := range c.Model.Exported() {
		out = append(out, e.Name)
	}
	return out
}

func (c *Catalog) kpiNames() []string {
	out := make([]string, 0, len(c.Model.KPIs))
	for _, k := range c.Model.KPIs {
		out = append(out, k.Name)
	}
	return out
}
