package dashboard

import (
	"slices"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/spec"
)

// model is the spec model with the lookups the dashboards need, built once per build: with
// 10,000 KPIs, scanning every KPI or metric per KPI, objective or team was quadratic.
type model struct {
	*spec.Model
	metrics       map[string]*spec.Metric
	kpis          map[string]*spec.KPI
	byObjective   map[string][]*spec.KPI    // KPIs of each objective, in definition order
	byTeam        map[string][]*spec.KPI    // KPIs each team owns or contributes to, in definition order
	metricsByTeam map[string][]*spec.Metric // metrics each team owns, in definition order
	stats         map[*spec.KPI]*sdk.Panel  // each KPI's tile, shown on the scorecard and team dashboards
}

// stat returns a copy of k's tile (kpiStat) to place on a grid; the copies share the tile's
// JSON model, which rendering only reads.
func (m *model) stat(k *spec.KPI) *sdk.Panel {
	p, ok := m.stats[k]
	if !ok {
		p = kpiStat(k)
		m.stats[k] = p
	}
	c := *p
	return &c
}

func index(m *spec.Model) *model {
	ix := &model{Model: m,
		metrics: make(map[string]*spec.Metric, len(m.Metrics)), kpis: make(map[string]*spec.KPI, len(m.KPIs)),
		byObjective: map[string][]*spec.KPI{}, byTeam: map[string][]*spec.KPI{}, metricsByTeam: map[string][]*spec.Metric{},
		stats: make(map[*spec.KPI]*sdk.Panel, len(m.KPIs))}
	for _, x := range m.Metrics {
		if _, dup := ix.metrics[x.Name]; !dup {
			ix.metrics[x.Name] = x
		}
		ix.metricsByTeam[x.Owner] = append(ix.metricsByTeam[x.Owner], x)
	}
	for i, k := range m.KPIs {
		if _, dup := ix.kpis[k.Name]; !dup {
			ix.kpis[k.Name] = k
		}
		ix.byObjective[k.Objective] = append(ix.byObjective[k.Objective], k)
		ix.byTeam[k.Owner] = append(ix.byTeam[k.Owner], k)
		for j, c := range k.Contributors {
			if c != k.Owner && !slices.Contains(k.Contributors[:j], c) {
				ix.byTeam[c] = append(ix.byTeam[c], m.KPIs[i])
			}
		}
	}
	return ix
}

// Metric returns the metric named name, or nil.
func (m *model) Metric(name string) *spec.Metric { return m.metrics[name] }

// KPI returns the KPI named name, or nil.
func (m *model) KPI(name string) *spec.KPI { return m.kpis[name] }

// SeriesExpr is spec.Model.SeriesExpr with the lookup indexed: it asks spec about a model
// holding only the metric or KPI found, so the expressions stay spec's.
func (m *model) SeriesExpr(name string) (string, bool) {
	one := &spec.Model{Settings: m.Settings}
	if x := m.Metric(name); x != nil {
		one.Metrics = []*spec.Metric{x}
	} else if k := m.KPI(name); k != nil {
		one.KPIs = []*spec.KPI{k}
	}
	return one.SeriesExpr(name)
}
