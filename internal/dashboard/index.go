package dashboard

import (
	"slices"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/parallel"
)

// model is the spec model with the groupings the dashboards need, built once per build: with
// 10,000 KPIs, scanning every KPI per objective or team was quadratic. Name lookups are spec's
// own index.
type model struct {
	*definition.Model
	byObjective   map[string][]*definition.KPI    // KPIs of each objective, in definition order
	byTeam        map[string][]*definition.KPI    // KPIs each team owns or contributes to, in definition order
	metricsByTeam map[string][]*definition.Metric // metrics each team owns, in definition order
	stats         map[*definition.KPI]*sdk.Panel  // each KPI's tile, shown on the objective and team dashboards
}

// stat returns a copy of k's tile (kpiStat) to place on a grid; the copies share the tile's
// JSON model, which rendering only reads, and its text once rendered (see shared).
func (m *model) stat(k *definition.KPI) *sdk.Panel {
	c := *m.stats[k]
	return &c
}

func index(m *definition.Model) *model {
	ix := &model{Model: m,
		byObjective: map[string][]*definition.KPI{}, byTeam: map[string][]*definition.KPI{}, metricsByTeam: map[string][]*definition.Metric{},
		stats: make(map[*definition.KPI]*sdk.Panel, len(m.KPIs))}
	for _, x := range m.Metrics {
		ix.metricsByTeam[x.Owner] = append(ix.metricsByTeam[x.Owner], x)
	}
	for i, k := range m.KPIs {
		ix.byObjective[k.Objective] = append(ix.byObjective[k.Objective], k)
		ix.byTeam[k.Owner] = append(ix.byTeam[k.Owner], k)
		for j, c := range k.Contributors {
			if c != k.Owner && !slices.Contains(k.Contributors[:j], c) {
				ix.byTeam[c] = append(ix.byTeam[c], m.KPIs[i])
			}
		}
	}
	// Every KPI's tile, built on every core before the boards, which then only read the model.
	stats := make([]*sdk.Panel, len(m.KPIs))
	parallel.Each(len(m.KPIs), func(i int) {
		stats[i] = kpiStat(ix, m.KPIs[i])
		share(*stats[i].CustomPanel)
	})
	for i, k := range m.KPIs {
		ix.stats[k] = stats[i]
	}
	return ix
}
