package definition

import (
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// ScopeExpr rewrites the user's PromQL (a metric's or KPI's expr) to read kpic's own series the
// way generated rules do: every selector of an exported gauge (<ns>_<name>) or of a generated
// kpi:* or objective:* series matches settings.rules.labels, so another project in the same
// Prometheus is never read, and an exported gauge read as an instant vector is deduplicated
// across exporter replicas like SeriesExpr. Ranges of gauges (rate(<ns>_x[5m])) get the
// matchers only. Other series, and expressions that do not parse (validation reports them), are
// left as written.
func (m *Model) ScopeExpr(expr string) string {
	if !strings.Contains(expr, m.Settings.Namespace+"_") && !strings.Contains(expr, "kpi:") && !strings.Contains(expr, "objective:") {
		return expr
	}
	node, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return expr
	}
	s := scoper{m: m}
	node = s.rewrite(node)
	if !s.changed {
		return expr
	}
	return node.String()
}

// scoper rewrites selectors of kpic's series inside one expression.
type scoper struct {
	m       *Model
	changed bool
}

// rewrite returns e with its kpic selectors scoped, replacing instant gauge selectors.
func (s *scoper) rewrite(e parser.Expr) parser.Expr {
	switch n := e.(type) {
	case *parser.VectorSelector:
		return s.instant(n)
	case *parser.MatrixSelector:
		if vs, ok := n.VectorSelector.(*parser.VectorSelector); ok {
			s.matchers(vs)
		}
	case *parser.AggregateExpr:
		n.Expr = s.rewrite(n.Expr)
		if n.Param != nil {
			n.Param = s.rewrite(n.Param)
		}
	case *parser.BinaryExpr:
		n.LHS, n.RHS = s.rewrite(n.LHS), s.rewrite(n.RHS)
	case *parser.Call:
		for i, a := range n.Args {
			n.Args[i] = s.rewrite(a)
		}
	case *parser.ParenExpr:
		n.Expr = s.rewrite(n.Expr)
	case *parser.UnaryExpr:
		n.Expr = s.rewrite(n.Expr)
	case *parser.SubqueryExpr:
		n.Expr = s.rewrite(n.Expr)
	}
	return e
}

// instant scopes an instant selector, and wraps an exported gauge in the replicas' dedup.
func (s *scoper) instant(vs *parser.VectorSelector) parser.Expr {
	gauge, labelsOf := s.gauge(vs.Name)
	if !s.matchers(vs) || !gauge {
		return vs
	}
	s.changed = true
	return &parser.AggregateExpr{Op: parser.MAX, Expr: vs, Grouping: slices.Concat(labelsOf, s.m.RulesLabelKeys())}
}

// matchers adds the rules label matchers to a selector of kpic's series and reports whether
// the selector is one; a label the user already matches is left to the user.
func (s *scoper) matchers(vs *parser.VectorSelector) bool {
	gauge, _ := s.gauge(vs.Name)
	if !gauge && !strings.HasPrefix(vs.Name, "kpi:") && !strings.HasPrefix(vs.Name, "objective:") {
		return false
	}
	for _, k := range s.m.RulesLabelKeys() {
		if slices.ContainsFunc(vs.LabelMatchers, func(l *labels.Matcher) bool { return l.Name == k }) {
			continue
		}
		vs.LabelMatchers = append(vs.LabelMatchers, labels.MustNewMatcher(labels.MatchEqual, k, s.m.Settings.Rules.Labels[k]))
		s.changed = true
	}
	return true
}

// gauge reports whether name is a gauge kpic serve exports, with the labels its query declares.
func (s *scoper) gauge(name string) (bool, []string) {
	short, ok := strings.CutPrefix(name, s.m.Settings.Namespace+"_")
	if !ok {
		return false, nil
	}
	if x := s.m.Metric(short); x != nil && x.Query != "" {
		return true, x.Labels
	}
	if k := s.m.KPI(short); k != nil && k.Kind == KindQuery {
		return true, k.Labels
	}
	return false, nil
}
