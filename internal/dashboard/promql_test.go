package dashboard

import (
	"errors"
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

// checkScoped reports a selector of kpic's own series (the generated kpi:*, objective:* and
// ALERTS, and the exported <namespace>_* gauges) that does not match every label of
// settings.rules.labels with its value, and an exported gauge read without the replicas'
// deduplication (an aggregation directly around it).
func checkScoped(expr string, m *definition.Model) error {
	node, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaVars.Replace(expr))
	if err != nil {
		return err
	}
	var problems []error
	parser.Inspect(node, func(n parser.Node, path []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok || !ownSeries(vs.Name, m) {
			return nil
		}
		for k, v := range m.Settings.Rules.Labels {
			if !slices.ContainsFunc(vs.LabelMatchers, func(l *labels.Matcher) bool {
				return l.Name == k && l.Type == labels.MatchEqual && l.Value == v
			}) {
				problems = append(problems, fmt.Errorf("%s does not match the rules label %s=%q", vs, k, v))
			}
		}
		if strings.HasPrefix(vs.Name, m.Settings.Namespace+"_") && !deduplicated(path) {
			problems = append(problems, fmt.Errorf("%s is read without max by its labels across exporter replicas", vs))
		}
		return nil
	})
	return errors.Join(problems...)
}

// ownSeries reports whether name is a series kpic generates or exports.
func ownSeries(name string, m *definition.Model) bool {
	return strings.HasPrefix(name, "kpi:") || strings.HasPrefix(name, "objective:") || name == "ALERTS" ||
		strings.HasPrefix(name, m.Settings.Namespace+"_")
}

// deduplicated reports whether the innermost expression around a selector (parentheses
// aside) is a max aggregation.
func deduplicated(path []parser.Node) bool {
	for i := len(path) - 1; i >= 0; i-- {
		switch n := path[i].(type) {
		case *parser.ParenExpr:
			continue
		case *parser.AggregateExpr:
			return n.Op == parser.MAX
		}
		return false
	}
	return false
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

// TestEveryQueryUsesProducedSeries parses every target, annotation and variable query of
// every dashboard: it only reads series the rules or the exporter produce, and only this
// project's (every selector of kpic's series matches settings.rules.labels, every gauge is
// deduplicated across exporter replicas).
func TestEveryQueryUsesProducedSeries(t *testing.T) {
	for _, m := range testModels(t) {
		if len(m.Settings.Rules.Labels) == 0 {
			t.Fatal("a test model without rules labels cannot show that selectors match them")
		}
		produced := producedSeries(t, m)
		for path, doc := range generated(t, m) {
			for where, expr := range exprsOf(doc) {
				if err := checkExpr(expr, produced); err != nil {
					t.Errorf("%s %s: %v\n%s", path, where, err, expr)
				}
				if err := checkScoped(expr, m); err != nil {
					t.Errorf("%s %s: %v\n%s", path, where, err, expr)
				}
			}
		}
	}
}

func TestCheckScoped(t *testing.T) {
	m := smallModel()
	tests := map[string]struct {
		expr string
		ok   bool
	}{
		"a kpi series with the rules labels":          {`kpi:value{kpi="mrr",tenant="acme"}`, true},
		"a kpi series without them":                   {`kpi:value{kpi="mrr"}`, false},
		"a rules label with another value":            {`kpi:status{tenant="other"}`, false},
		"a rules label matched by a regex":            {`kpi:status{tenant=~"acme"}`, false},
		"ALERTS without the rules labels":             {`ALERTS{alertstate="firing"}`, false},
		"objective series without them":               {`objective:status`, false},
		"a deduplicated gauge":                        {`max by (plan, tenant) (business_active_subscriptions{tenant="acme"})`, true},
		"a gauge summed over replicas":                {`sum(business_active_subscriptions{tenant="acme"})`, false},
		"a gauge read raw":                            {`business_mrr_dollars{tenant="acme"}`, false},
		"someone else's series are left to the query": {`sum(rate(http_requests_total[5m]))`, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if err := checkScoped(tt.expr, m); (err == nil) != tt.ok {
				t.Errorf("checkScoped(%q) = %v, want ok=%v", tt.expr, err, tt.ok)
			}
		})
	}
}
