package kpitest

import (
	"slices"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

// dependencies maps each KPI to the KPIs its rules read (a metric KPI promoting another KPI,
// an expr over kpi:value{kpi="..."}). all is set when some KPI's rule selects KPIs other than
// by name, so that no rule may be left out.
type dependencies struct {
	reads map[string][]string
	all   bool
}

// kpiDependencies reads the kpi matchers of the selectors in the rules that belong to one KPI
// (carry a kpi label).
func kpiDependencies(groups []rulefmt.RuleGroup) dependencies {
	deps := dependencies{reads: map[string][]string{}}
	p := parser.NewParser(parser.Options{})
	for _, g := range groups {
		for _, r := range g.Rules {
			kpi := r.Labels["kpi"]
			if kpi == "" {
				continue
			}
			expr, err := p.ParseExpr(r.Expr)
			if err != nil {
				deps.all = true
				continue
			}
			parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
				if vs, ok := n.(*parser.VectorSelector); ok {
					deps.add(kpi, vs.LabelMatchers)
				}
				return nil
			})
		}
	}
	return deps
}

func (d *dependencies) add(kpi string, matchers []*labels.Matcher) {
	for _, m := range matchers {
		switch {
		case m.Name != "kpi":
		case m.Type == labels.MatchEqual:
			if m.Value != kpi && !slices.Contains(d.reads[kpi], m.Value) {
				d.reads[kpi] = append(d.reads[kpi], m.Value)
			}
		default:
			d.all = true
		}
	}
}

// closure is the KPIs named and every KPI they read, transitively.
func (d dependencies) closure(names []string) map[string]bool {
	out := map[string]bool{}
	todo := slices.Clone(names)
	for len(todo) > 0 {
		k := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if out[k] {
			continue
		}
		out[k] = true
		todo = append(todo, d.reads[k]...)
	}
	return out
}

// prune keeps the rules a test of the given KPIs needs: the rules of those KPIs and of the KPIs
// they read, and every rule that belongs to no single KPI. The other KPIs have no input in the
// test, so their rules would only evaluate to nothing (and their no-data alerts fire) at every
// step; leaving them out makes long tests (a forecast needs days of evaluations) fast.
func (c *Catalog) prune(kpis []string) []rulefmt.RuleGroup {
	if c.deps.all {
		return c.Groups
	}
	keep := c.deps.closure(kpis)
	var out []rulefmt.RuleGroup
	for _, g := range c.Groups {
		kept := g
		kept.Rules = slices.DeleteFunc(slices.Clone(g.Rules), func(r rulefmt.Rule) bool {
			k := r.Labels["kpi"]
			return k != "" && !keep[k]
		})
		if len(kept.Rules) > 0 {
			out = append(out, kept)
		}
	}
	return out
}
