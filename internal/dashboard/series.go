package dashboard

import (
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// sel selects a series kpic generates (kpi:*, objective:*, ALERTS) with the given matchers and
// those of settings.rules.labels (definition.Model.RulesMatchers), so a dashboard never reads
// another kpic project sharing the Prometheus: sel("kpi:info", `kpi="$kpi"`).
func (m *model) sel(series string, matchers ...string) string {
	if rules := strings.Trim(m.RulesMatchers(), "{}"); rules != "" {
		matchers = append(matchers[:len(matchers):len(matchers)], rules)
	}
	if len(matchers) == 0 {
		return series
	}
	return series + "{" + strings.Join(matchers, ",") + "}"
}

// kpiSel selects one KPI's series of a kpi:* name (definition.Model.RuleSeries).
func (m *model) kpiSel(series, kpi string) string {
	return m.RuleSeries(series, kpi)
}

// kpisSel selects the series of several KPIs.
func (m *model) kpisSel(series string, kpis []*definition.KPI) string {
	names := make([]string, len(kpis))
	for i, k := range kpis {
		names[i] = k.Name
	}
	return m.sel(series, `kpi=~"`+strings.Join(names, "|")+`"`)
}
