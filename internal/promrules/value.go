package promrules

import (
	"fmt"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// valueExpr is the PromQL of kpi:value: the KPI reduced to one series with sum(), or to one
// series per combination of its `by` labels. Ratios divide sums and never average ratios.
func valueExpr(m *definition.Model, k *definition.KPI) (string, error) {
	switch k.Kind {
	case definition.KindQuery:
		x, err := lookup(m, k.Name)
		return reduce(k, x), err
	case definition.KindMetric:
		x, err := lookup(m, k.Metric)
		return reduce(k, x), err
	case definition.KindRatio:
		return ratioExpr(m, k)
	case definition.KindGrowth:
		return growthExpr(m, k)
	case definition.KindExpr:
		return reduce(k, m.ScopeExpr(k.Expr)), nil
	}
	return "", fmt.Errorf("unknown kind %q", k.Kind)
}

// reduce sums x into one series, or by the KPI's breakdown labels.
func reduce(k *definition.KPI, x string) string {
	if len(k.By) == 0 {
		return "sum(" + x + ")"
	}
	return "sum by (" + strings.Join(k.By, ", ") + ") (" + x + ")"
}

// lookup selects a metric or KPI by name, or fails when the name is unknown.
func lookup(m *definition.Model, name string) (string, error) {
	x, ok := m.SeriesExpr(name)
	if !ok {
		return "", fmt.Errorf("no metric or KPI named %q", name)
	}
	return x, nil
}

// ratioExpr is sum(numerator) / sum(denominator); a zero denominator leaves no value rather
// than +Inf or NaN, so that dashboards and status never show a meaningless number.
func ratioExpr(m *definition.Model, k *definition.KPI) (string, error) {
	if k.Ratio == nil {
		return "", fmt.Errorf("ratio kind without ratio")
	}
	num, err := lookup(m, k.Ratio.Numerator)
	if err != nil {
		return "", err
	}
	den, err := lookup(m, k.Ratio.Denominator)
	if err != nil {
		return "", err
	}
	return reduce(k, num) + " / (" + reduce(k, den) + " != 0)", nil
}

// growthExpr is the relative change over growth.over: (now - then) / then, with no value when
// "then" is zero.
func growthExpr(m *definition.Model, k *definition.KPI) (string, error) {
	if k.Growth == nil || k.Growth.Over <= 0 {
		return "", fmt.Errorf("growth kind without a positive growth.over")
	}
	x, err := lookup(m, k.Growth.Metric)
	if err != nil {
		return "", err
	}
	past, _ := m.SeriesExprOffset(k.Growth.Metric, k.Growth.Over.String())
	then := reduce(k, past)
	return "(" + reduce(k, x) + " - " + then + ") / (" + then + " != 0)", nil
}

// noDataFrom says what tells that a KPI's data stopped arriving: its inputs for a ratio or a
// growth (whose value is rightly absent over a zero divisor or while history builds up), its
// value otherwise (absent exactly when the series it sums are).
func noDataFrom(m *definition.Model, k *definition.KPI) string {
	if _, ok := inputsAbsentExpr(m, k); ok {
		return "inputs"
	}
	return "value"
}

// inputsAbsentExpr is true while a series a ratio or growth KPI is computed from is absent; ok
// is false for the other kinds, whose kpi:value is absent exactly then.
func inputsAbsentExpr(m *definition.Model, k *definition.KPI) (string, bool) {
	var names []string
	switch {
	case k.Kind == definition.KindRatio && k.Ratio != nil:
		names = []string{k.Ratio.Numerator, k.Ratio.Denominator}
	case k.Kind == definition.KindGrowth && k.Growth != nil:
		names = []string{k.Growth.Metric}
	default:
		return "", false
	}
	var parts []string
	for _, n := range names {
		if x, ok := m.AbsentExpr(n); ok {
			parts = append(parts, x)
		}
	}
	return strings.Join(parts, " or "), len(parts) > 0
}
