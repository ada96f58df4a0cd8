package definition

import (
	"fmt"
	"strings"
)

// MaxDecimals bounds dashboard.decimals.
const MaxDecimals = 20

// kpi checks one KPI: what it must name, its one kind, its breakdown, target and alert.
func (c *checker) kpi(k *KPI) {
	what := fmt.Sprintf("kpi %q", k.Name)
	c.required(k.Meta, what, "name", k.Name != "")
	c.seriesNameOK(k.Meta, "kpi", k.Name)
	if c.required(k.Meta, what, "objective", k.Objective != "") {
		c.ref(k.Meta, "objective", what, "objective", k.Objective)
	}
	if c.required(k.Meta, what, "owner", k.Owner != "") {
		c.ref(k.Meta, "owner", what, "team", k.Owner)
	}
	c.refs(k.Meta, "contributors", what, "team", k.Contributors)
	c.refs(k.Meta, "supporting", what, "metric or kpi", k.Supporting)
	c.unit(k.Meta, what, k.Unit)
	if c.kindOK(k, what) {
		c.kindFields(k, what)
	}
	c.labelNames(k.Meta, "by", what, k.By)
	c.byLabels(k, what)
	// A target written as something else than a mapping was reported while decoding.
	if c.required(k.Meta, what, "target", k.Has("target") || k.Target.Direction != "") && k.Target.Pos.Line != 0 {
		c.target(k, what)
	}
	c.alert(&k.Alert, what)
	if d := k.Dashboard.Decimals; d != nil && (*d < 0 || *d > MaxDecimals) {
		c.errorf(k.Dashboard.At("decimals"), "decimals of %s must be between 0 and %d", what, MaxDecimals)
	}
}

// kindOK reports whether the KPI sets exactly one kind, naming the ones found when several are.
func (c *checker) kindOK(k *KPI, what string) bool {
	kinds := k.kindsSet()
	switch len(kinds) {
	case 0:
		c.errorf(k.Pos, "%s needs one of query, metric, ratio, growth or expr", what)
	case 1:
		return true
	default:
		c.errorf(k.At(string(kinds[1])), "%s sets %s; a KPI has exactly one of query, metric, ratio, growth or expr", what, describeKinds(kinds))
	}
	return false
}

// kindFields checks the fields of the KPI's kind, and that fields of SQL KPIs appear only there.
func (c *checker) kindFields(k *KPI, what string) {
	switch k.Kind {
	case KindQuery:
		c.sqlQuery(k.Meta, what, k.Source, k.Query, k.Labels)
		c.seriesLimit(k.Meta, what, k.SeriesLimit)
		c.history(k.History, what, k.Source)
	case KindMetric:
		if k.Metric == "" {
			c.errorf(k.At("metric"), "metric of %s is empty; name the metric it promotes", what)
		}
		c.ref(k.Meta, "metric", what, "metric", k.Metric)
	case KindRatio:
		c.ratio(k, what)
	case KindGrowth:
		c.growth(k, what)
	case KindExpr:
		c.promQL(k.Meta, "expr", what, k.Expr)
	}
	if k.Kind != KindQuery {
		c.onlyWithQuery(k.Meta, what, "a KPI computed by a query", queryOnlyFields...)
	}
}

// ratio checks both sides of a ratio KPI; they may be metrics or other KPIs, but not the KPI itself.
func (c *checker) ratio(k *KPI, what string) {
	r := k.Ratio
	if r == nil {
		return // written as something else than a mapping: reported while decoding
	}
	for _, side := range []struct{ key, name string }{{"numerator", r.Numerator}, {"denominator", r.Denominator}} {
		if c.required(r.Meta, "ratio of "+what, side.key, side.name != "") {
			c.ref(r.Meta, side.key, "ratio of "+what, "metric or kpi", side.name)
			c.notSelf(k, r.At(side.key), side.name)
		}
	}
}

// growth checks a growth KPI: the metric it measures and a window longer than zero.
func (c *checker) growth(k *KPI, what string) {
	g := k.Growth
	if g == nil {
		return // written as something else than a mapping: reported while decoding
	}
	if c.required(g.Meta, "growth of "+what, "metric", g.Metric != "") {
		c.ref(g.Meta, "metric", "growth of "+what, "metric or kpi", g.Metric)
		c.notSelf(k, g.At("metric"), g.Metric)
	}
	// A written 0s is refused while decoding, so only a missing window is left to report.
	c.required(g.Meta, "growth of "+what, "over", g.Has("over") || g.Over != 0)
}

// notSelf reports a KPI computed from its own value, which can never be evaluated.
func (c *checker) notSelf(k *KPI, p Pos, name string) {
	if name == k.Name {
		c.errorf(p, "kpi %q is computed from itself", k.Name)
	}
}

// alert checks a KPI's alert tuning.
func (c *checker) alert(a *Alert, what string) {
	if a.Runbook != "" {
		c.httpURL(a.At("runbook"), "runbook of alert of "+what, a.Runbook)
	}
}

// byLabels checks that a KPI's breakdown labels exist on the series it is computed from, where
// that is known (SQL series list their labels; PromQL series are not checked).
func (c *checker) byLabels(k *KPI, what string) {
	for i, label := range k.By {
		if !labelName.MatchString(label) || reservedLabel(label) {
			continue // reported by labelNames
		}
		for _, src := range c.sourcesOf(k) {
			if src.known && !contains(src.labels, label) {
				c.errorf(k.At(fmt.Sprintf("by[%d]", i)), "%s is broken down by %q, but %s has no such label (labels: %s)",
					what, label, src.name, listOrNone(src.labels))
				break
			}
		}
	}
}

// seriesLabels is what is known of the labels of a series a KPI reads.
type seriesLabels struct {
	name   string
	labels []string
	known  bool
}

// sourcesOf lists the series a KPI is computed from, with their labels when known.
func (c *checker) sourcesOf(k *KPI) []seriesLabels {
	switch k.Kind {
	case KindQuery:
		return []seriesLabels{{name: "its query", labels: k.Labels, known: true}}
	case KindMetric:
		return []seriesLabels{c.labelsOf(k.Metric)}
	case KindRatio:
		if k.Ratio != nil {
			return []seriesLabels{c.labelsOf(k.Ratio.Numerator), c.labelsOf(k.Ratio.Denominator)}
		}
	case KindGrowth:
		if k.Growth != nil {
			return []seriesLabels{c.labelsOf(k.Growth.Metric)}
		}
	}
	return nil
}

// labelsOf returns the labels of a metric or KPI when it is SQL-backed.
func (c *checker) labelsOf(name string) seriesLabels {
	if x, ok := c.metrics[name]; ok && x.Query != "" && x.Expr == "" {
		return seriesLabels{name: fmt.Sprintf("metric %q", name), labels: x.Labels, known: true}
	}
	if k, ok := c.kpis[name]; ok && k.Kind == KindQuery {
		return seriesLabels{name: fmt.Sprintf("kpi %q", name), labels: k.Labels, known: true}
	}
	return seriesLabels{}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
