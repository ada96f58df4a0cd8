package dashboard

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	pmodel "github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/promrules"
)

// grafanaVars replaces the template variables of the dashboards by sample values, as Grafana
// does before sending a query.
var grafanaVars = strings.NewReplacer("$__range", "30d", "$kpi", "mrr_dollars")

// producedSeries lists the series names Prometheus has for m: the rules' records (and ALERTS
// when there are alerting rules), the gauges kpic serve exports, and what PromQL metrics select.
func producedSeries(t *testing.T, m *definition.Model) map[string]bool {
	t.Helper()
	files, err := promrules.Groups(m)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range files {
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				out[r.Record] = r.Record != ""
				out["ALERTS"] = out["ALERTS"] || r.Alert != ""
			}
		}
	}
	for _, e := range m.Exported() {
		out[m.GaugeName(e.Name)] = true
	}
	for _, x := range m.Metrics {
		names, err := selectedNames(x.Expr)
		if x.Expr != "" && err != nil {
			t.Fatalf("metric %s: %v", x.Name, err)
		}
		for _, n := range names {
			out[n] = true
		}
	}
	return out
}

// selectedNames parses expr, template variables substituted, and returns the metric names it
// selects; a selector without a metric name is an error.
func selectedNames(expr string) ([]string, error) {
	node, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaVars.Replace(expr))
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			names = append(names, metricName(vs))
		}
		return nil
	})
	if slices.Contains(names, "") {
		return names, fmt.Errorf("a selector of %q has no metric name", expr)
	}
	return names, nil
}

// metricName is the name a selector matches exactly, or "".
func metricName(vs *parser.VectorSelector) string {
	if vs.Name != "" {
		return vs.Name
	}
	for _, lm := range vs.LabelMatchers {
		if lm.Name == pmodel.MetricNameLabel && lm.Type == labels.MatchEqual {
			return lm.Value
		}
	}
	return ""
}

// checkExpr reports an expression that does not parse or selects a series nobody produces.
func checkExpr(expr string, produced map[string]bool) error {
	names, err := selectedNames(expr)
	if err != nil {
		return err
	}
	for _, n := range names {
		if !produced[n] {
			return fmt.Errorf("selects %s, which neither the rules nor the exporter produce", n)
		}
	}
	return nil
}

func TestCheckExpr(t *testing.T) {
	produced := map[string]bool{"kpi:value": true, "business_mrr": true}
	tests := map[string]struct {
		expr string
		ok   bool
	}{
		"a recorded kpi series is accepted":              {`kpi:value{kpi="mrr"}`, true},
		"an exported gauge is accepted":                  {`sum(business_mrr)`, true},
		"a template variable is substituted":             {`kpi:value{kpi="$kpi"} offset $__range`, true},
		"a series nobody produces is reported":           {`kpi:valeu{kpi="mrr"}`, false},
		"a selector without a metric name is reported":   {`{kpi="mrr"}`, false},
		"a syntax error is reported":                     {`sum(kpi:value`, false},
		"a series inside a function argument is checked": {`clamp(business_unknown, 0, 1)`, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if err := checkExpr(tt.expr, produced); (err == nil) != tt.ok {
				t.Errorf("checkExpr(%q) = %v, want ok=%v", tt.expr, err, tt.ok)
			}
		})
	}
}

// TestEveryQueryUsesProducedSeries parses every target and annotation of every dashboard.
func TestEveryQueryUsesProducedSeries(t *testing.T) {
	for _, m := range testModels(t) {
		produced := producedSeries(t, m)
		for path, doc := range generated(t, m) {
			for where, expr := range exprsOf(doc) {
				if err := checkExpr(expr, produced); err != nil {
					t.Errorf("%s %s: %v\n%s", path, where, err, expr)
				}
			}
		}
	}
}
