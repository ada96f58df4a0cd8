package dashboard

import (
	"fmt"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// kpiDescription is a KPI panel's description: what it measures and what it should reach.
func kpiDescription(k *definition.KPI) string {
	what := k.Description
	if what == "" {
		what = k.Title + "."
	}
	return fmt.Sprintf("%s %s Owner: %s. Objective: %s.", what, targetText(k), k.Owner, k.Objective)
}

// targetText says the target in words, the ramp and the critical bound included.
func targetText(k *definition.KPI) string {
	dir := "at least"
	if k.Target.Direction == definition.Lower {
		dir = "at most"
	}
	var s string
	if k.Target.IsRamp() {
		s = fmt.Sprintf("Target: %s, rising in a straight line from %s to %s over the objective's period.",
			dir, k.Target.From, k.Target.To)
	} else {
		s = fmt.Sprintf("Target: %s %s.", dir, k.Target.Final())
	}
	if k.Critical != nil {
		s += fmt.Sprintf(" Critical beyond %s.", k.Critical)
	}
	return s
}

// metricDescription is a metric panel's description: its help and where it comes from.
func metricDescription(m *definition.Model, x *definition.Metric) string {
	if x.Expr != "" {
		return fmt.Sprintf("%s PromQL: %s", x.Help, x.Expr)
	}
	return fmt.Sprintf("%s Exported by kpic serve as %s from source %s.", x.Help, m.GaugeName(x.Name), x.Source)
}

// kpiList names KPIs for descriptions.
func kpiList(kpis []*definition.KPI) string {
	titles := make([]string, len(kpis))
	for i, k := range kpis {
		titles[i] = k.Title
	}
	return strings.Join(titles, ", ")
}
