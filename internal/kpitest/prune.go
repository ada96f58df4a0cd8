package kpitest

import (
	"slices"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/promrules"
)

// ruleReads is what one rule's expression selects: the series names, and the KPIs it names in
// kpi matchers. all is set when it selects in a way that cannot be followed (a metric name or
// kpi matched by regular expression), so that no rule may be left out.
type ruleReads struct {
	sels []selected
	kpis []string
	all  bool
}

// selected is a series a selector reads: its name, and its KPI when it names one ("" for any).
type selected struct{ name, kpi string }

// reads parses every rule of the groups once, in group and rule order.
func reads(groups []rulefmt.RuleGroup) [][]ruleReads {
	p := parser.NewParser(parser.Options{})
	out := make([][]ruleReads, len(groups))
	for i, g := range groups {
		out[i] = make([]ruleReads, len(g.Rules))
		for j, r := range g.Rules {
			out[i][j] = readsOf(p, r.Expr)
		}
	}
	return out
}

func readsOf(p parser.Parser, expr string) ruleReads {
	var rr ruleReads
	node, err := p.ParseExpr(expr)
	if err != nil {
		return ruleReads{all: true}
	}
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			rr.add(vs)
		}
		return nil
	})
	return rr
}

func (rr *ruleReads) add(vs *parser.VectorSelector) {
	sel := selected{name: vs.Name}
	for _, m := range vs.LabelMatchers {
		switch {
		case m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual:
			sel.name = m.Value
		case m.Name == model.MetricNameLabel || m.Name == "kpi" && m.Type != labels.MatchEqual:
			rr.all = true
		case m.Name == "kpi":
			sel.kpi = m.Value
			rr.kpis = appendNew(rr.kpis, m.Value)
		}
	}
	if sel.name == "" {
		rr.all = true
	}
	if !slices.Contains(rr.sels, sel) {
		rr.sels = append(rr.sels, sel)
	}
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// needs are the recorded series and alerts a test's expectations read.
type needs struct {
	kpis   []string
	series []string
	alerts bool
}

// needs lists what the test's expectations read. Value, target, critical and status are always
// read (failure messages show them); attainment and forecast when expected; alerts (which read
// the forecast) when expected.
func (t *Test) needs() needs {
	n := needs{kpis: t.kpis(), series: []string{seriesValue, seriesTarget, seriesCritical, seriesStatus}}
	for _, x := range t.Expect {
		if x.Attainment != nil {
			n.series = appendNew(n.series, seriesAttainment)
		}
		if x.Forecast != nil || x.Alerts != nil {
			n.series = appendNew(n.series, seriesForecast)
		}
		n.alerts = n.alerts || x.Alerts != nil
	}
	return n
}

// prune keeps the rules a test needs: of the KPIs it expects something of (and the KPIs their
// rules read), the rules recording what it reads and the rules those read, transitively, and
// the alerts when it expects alerts. Other KPIs have no input in the test, and series nobody
// reads change nothing, so leaving them out only saves work: a forecast needs days of
// evaluations, and a rule left out is never evaluated.
func (c *Catalog) prune(n needs) []rulefmt.RuleGroup {
	if c.unprunable {
		return c.Groups
	}
	keep := c.keepRules(c.kpiClosure(n.kpis), n)
	var out []rulefmt.RuleGroup
	for i, g := range c.pieces {
		kept := g
		kept.Rules = nil
		var legs []promrules.Leg
		from := 0 // origin of legs
		flush := func() {
			if len(legs) > 0 {
				r := c.Groups[i].Rules[from-1]
				r.Expr = promrules.Fuse(legs)
				kept.Rules = append(kept.Rules, r)
			}
			legs, from = nil, 0
		}
		for j, r := range g.Rules {
			if !keep[i][j] {
				continue
			}
			if o := c.origin[i][j]; o > 0 {
				if o != from {
					flush()
				}
				legs, from = append(legs, promrules.Leg{KPI: r.Labels["kpi"], Expr: r.Expr}), o
				continue
			}
			flush()
			kept.Rules = append(kept.Rules, r)
		}
		flush()
		if len(kept.Rules) > 0 {
			out = append(out, kept)
		}
	}
	return out
}

// kpiClosure is the KPIs named and every KPI their rules read, transitively.
func (c *Catalog) kpiClosure(names []string) map[string]bool {
	out := map[string]bool{}
	todo := slices.Clone(names)
	for len(todo) > 0 {
		k := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if out[k] {
			continue
		}
		out[k] = true
		for i, g := range c.pieces {
			for j, r := range g.Rules {
				if r.Labels["kpi"] == k {
					todo = append(todo, c.reads[i][j].kpis...)
				}
			}
		}
	}
	return out
}

// keepRules marks the rules of the KPIs (and the rules of no single KPI) that record a
// needed series, growing the needed series by what kept rules read until nothing changes. The
// test's own KPIs need the series it reads; a selector naming a KPI needs that KPI's series,
// one naming none needs the series of every KPI.
func (c *Catalog) keepRules(kpis map[string]bool, n needs) [][]bool {
	keep := make([][]bool, len(c.pieces))
	for i, g := range c.pieces {
		keep[i] = make([]bool, len(g.Rules))
	}
	needed := map[selected]bool{}
	for _, s := range n.series {
		for _, k := range n.kpis {
			needed[selected{s, k}] = true
		}
	}
	wanted := func(r rulefmt.Rule) bool {
		if r.Alert != "" {
			return n.alerts
		}
		k := r.Labels["kpi"]
		if k == "" {
			return slices.ContainsFunc(mapKeys(needed), func(s selected) bool { return s.name == r.Record })
		}
		return needed[selected{r.Record, k}] || needed[selected{r.Record, ""}]
	}
	for changed := true; changed; {
		changed = false
		for i, g := range c.pieces {
			for j, r := range g.Rules {
				if keep[i][j] || r.Labels["kpi"] != "" && !kpis[r.Labels["kpi"]] || !wanted(r) {
					continue
				}
				keep[i][j], changed = true, true
				for _, s := range c.reads[i][j].sels {
					needed[s] = true
				}
			}
		}
	}
	return keep
}

func mapKeys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
