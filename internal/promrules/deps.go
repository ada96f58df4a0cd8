package promrules

import (
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/definition"
)

// dependencySets partitions the KPIs into sets connected by reads of another KPI's kpi:value,
// each in dependency order (inputs first, otherwise definition order); independent KPIs are
// sets of one. Sets come in the definition order of their first KPI.
func dependencySets(m *definition.Model) [][]*definition.KPI {
	index := make(map[string]int, len(m.KPIs))
	for i, k := range m.KPIs {
		if _, dup := index[k.Name]; !dup {
			index[k.Name] = i
		}
	}
	parent := make([]int, len(m.KPIs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	inputs := make([][]int, len(m.KPIs))
	for i, k := range m.KPIs {
		for _, name := range kpiInputs(m, k) {
			if j, ok := index[name]; ok && j != i {
				inputs[i] = append(inputs[i], j)
				parent[find(i)] = find(j)
			}
		}
	}
	members := map[int][]int{}
	var roots []int
	for i := range m.KPIs {
		r := find(i)
		if _, seen := members[r]; !seen {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	out := make([][]*definition.KPI, 0, len(roots))
	for _, r := range roots {
		out = append(out, ordered(m, members[r], inputs))
	}
	return out
}

// ordered puts a set's KPIs after their inputs, keeping definition order otherwise; a cycle
// (which validation reports) keeps definition order.
func ordered(m *definition.Model, set []int, inputs [][]int) []*definition.KPI {
	done := map[int]bool{}
	var out []*definition.KPI
	for len(out) < len(set) {
		progress := false
		for _, i := range set {
			if done[i] || !allDone(inputs[i], done) {
				continue
			}
			done[i], progress = true, true
			out = append(out, m.KPIs[i])
		}
		if !progress {
			for _, i := range set {
				if !done[i] {
					done[i] = true
					out = append(out, m.KPIs[i])
				}
			}
		}
	}
	return out
}

func allDone(xs []int, done map[int]bool) bool {
	for _, x := range xs {
		if !done[x] {
			return false
		}
	}
	return true
}

// kpiInputs names the KPIs whose kpi:value k's value reads: KPIs named as its metric, ratio or
// growth input (other than query KPIs, read from their gauge), and kpi:value{kpi="..."}
// selectors in an expr.
func kpiInputs(m *definition.Model, k *definition.KPI) []string {
	var names []string
	switch k.Kind {
	case definition.KindMetric:
		names = []string{k.Metric}
	case definition.KindRatio:
		if k.Ratio != nil {
			names = []string{k.Ratio.Numerator, k.Ratio.Denominator}
		}
	case definition.KindGrowth:
		if k.Growth != nil {
			names = []string{k.Growth.Metric}
		}
	case definition.KindExpr:
		return exprInputs(k.Expr)
	}
	var out []string
	for _, n := range names {
		if m.Metric(n) == nil {
			if in := m.KPI(n); in != nil && in.Kind != definition.KindQuery {
				out = append(out, n)
			}
		}
	}
	return out
}

// exprInputs lists the KPIs named by kpi:value selectors in PromQL with an equality matcher.
func exprInputs(expr string) []string {
	if !strings.Contains(expr, SeriesValue) {
		return nil
	}
	node, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return nil
	}
	var out []string
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok || vs.Name != SeriesValue {
			return nil
		}
		for _, l := range vs.LabelMatchers {
			if l.Name == "kpi" && l.Type == labels.MatchEqual {
				out = append(out, l.Value)
			}
		}
		return nil
	})
	return out
}
