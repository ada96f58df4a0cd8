package backfill

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/definition"
)

// recordable splits the KPIs into those whose rules backfill can record and the expr KPIs
// that read series kpic does not export (nothing backfill writes would feed them), with a
// warning naming each of the latter.
func recordable(m *definition.Model) (keep []*definition.KPI, warnings []string) {
	own := map[string]bool{}
	for _, e := range m.Exported() {
		own[m.GaugeName(e.Name)] = true
	}
	for _, k := range m.KPIs {
		if k.Kind != definition.KindExpr {
			keep = append(keep, k)
			continue
		}
		if foreign := foreignSeries(k.Expr, own); len(foreign) > 0 {
			warnings = append(warnings, fmt.Sprintf("kpi %s skipped: its expr reads %s, which kpic does not export", k.Name, strings.Join(foreign, ", ")))
			continue
		}
		keep = append(keep, k)
	}
	return keep, warnings
}

// foreignSeries lists the series an expression selects that are neither exported gauges nor
// series the generated rules record.
func foreignSeries(expr string, own map[string]bool) []string {
	node, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return []string{"(unparsable PromQL)"}
	}
	var out []string
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := selectorName(vs)
		if !own[name] && !strings.HasPrefix(name, "kpi:") && !strings.HasPrefix(name, "objective:") && !slices.Contains(out, name) {
			if name == "" {
				name = vs.String()
			}
			out = append(out, name)
		}
		return nil
	})
	return out
}

// selectorName is the metric name a selector matches exactly, or "".
func selectorName(vs *parser.VectorSelector) string {
	if vs.Name != "" {
		return vs.Name
	}
	for _, m := range vs.LabelMatchers {
		if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
			return m.Value
		}
	}
	return ""
}

// withoutHistory warns about KPIs reading SQL series that have no history query: their values
// start only when kpic serve does.
func withoutHistory(m *definition.Model) []string {
	var out []string
	for _, e := range m.Exported() {
		if e.History == nil {
			out = append(out, e.Name)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return []string{"no history query for " + strings.Join(out, ", ") + ": their series stay empty before kpic serve starts"}
}
