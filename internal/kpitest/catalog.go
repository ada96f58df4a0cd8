package kpitest

import (
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
	// reads is what each rule of Groups selects; unprunable is set when some rule selects in
	// a way that cannot be followed, so every test runs every rule.
	reads      [][]ruleReads
	unprunable bool
}

// NewCatalog indexes the alert names (kpic's four, and any other the groups define), for checking test files, and which
// KPIs' rules read which other KPIs, for running only the rules a test needs.
func NewCatalog(m *definition.Model, groups []rulefmt.RuleGroup) *Catalog {
	c := &Catalog{Model: m, Groups: groups, reads: reads(groups),
		alerts: []string{promrules.AlertOffTarget, promrules.AlertCritical, promrules.AlertAtRisk, promrules.AlertNoData}}
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
