package dashboard

import (
	"fmt"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
)

// tagObjective marks the objectives' scorecards, so dashboard links can list them.
const tagObjective = "objective"

// objectiveBoard is one objective's scorecard: its status and share of KPIs on target, how
// much of its period has gone, how far each KPI is from its target, and a tile per KPI.
func objectiveBoard(m *model, o *definition.Objective) *sdk.Board {
	kpis := m.byObjective[o.Name]
	b := newBoard(ObjectiveUID(o.Name), o.Title, []string{tagObjective}, m.sel("ALERTS", `alertstate="firing"`, objectiveMatcher(o)))
	var g grid
	g.add(objectiveStatus(m, o), 6, 5)
	g.add(m.progressGauge(o, kpis), 6, 5)
	if len(kpis) > 0 {
		g.add(m.attainmentGauge(o, kpis), 12, max(5, 2+2*len(kpis)))
	}
	for _, k := range kpis {
		g.add(m.stat(k), 6, 5)
	}
	b.Panels = g.panels
	return b
}

// objectiveMatcher matches the objective label of the objective:* series and of KPI alerts.
func objectiveMatcher(o *definition.Objective) string {
	return fmt.Sprintf("objective=%q", o.Name)
}

// objectiveStatus shows objective:status, the worst status of the objective's KPIs, in words
// on its colour.
func objectiveStatus(m *model, o *definition.Objective) *sdk.Panel {
	return newPanel("stat", "Status", "objective:status: the worst status of the objective's KPIs: on target (green), "+
		"between target and critical (amber), beyond critical (red).",
		[]query{{Expr: "max(" + m.sel("objective:status", objectiveMatcher(o)) + ")", Legend: "Status"}},
		object{"options": statusOptions, "fieldConfig": objectiveStatusFields})
}

// What every objective's board shares: the options and fields of its status, its gauges'
// options and the fields of its percent of target.
var (
	statusOptions         = &constant{statOptions("none", "background", false, "standard")}
	objectiveStatusFields = &constant{fieldConfig(object{"color": object{"mode": "thresholds"}, "thresholds": thresholds(colorGreen),
		"mappings": []any{statusMapping()}, "noValue": "No data"})}
	gaugeOptions     = &constant{barOptions()}
	attainmentFields = &constant{fieldConfig(object{"unit": "percentunit", "min": 0, "max": 1.25, "decimals": 0,
		"color": object{"mode": "thresholds"}, "thresholds": thresholds(colorAmber, 1, colorGreen)})}
	progressFields = &constant{fieldConfig(object{"unit": "percentunit", "min": 0, "max": 1, "decimals": 0,
		"color": object{"mode": "fixed", "fixedColor": colorTarget}})}
)

// attainmentGauge shows each KPI's value as a percent of today's target (100% is met).
func (m *model) attainmentGauge(o *definition.Objective, kpis []*definition.KPI) *sdk.Panel {
	queries := make([]query, len(kpis))
	for i, k := range kpis {
		queries[i] = query{Expr: "min(" + m.kpiSel("kpi:attainment:ratio", k.Name) + ")", Legend: k.Title, Instant: true}
	}
	desc := fmt.Sprintf("Each KPI of %q as a percent of today's target, turned so that 100%% or more "+
		"always means met (kpi:attainment:ratio, the worst breakdown for KPIs that keep one).", o.Title)
	return newPanel("bargauge", "Percent of target", desc, queries, object{
		"options": gaugeOptions, "fieldConfig": attainmentFields})
}

// progressGauge sets the share of the objective's period gone against the share of its KPIs
// on target (objective:attainment:ratio), so an objective falling behind shows before its end.
func (m *model) progressGauge(o *definition.Objective, kpis []*definition.KPI) *sdk.Panel {
	start, end := o.Period.StartTime().Unix(), o.Period.EndTime().Unix()
	queries := []query{
		{Expr: fmt.Sprintf("clamp(vector((time() - %d) / %d), 0, 1)", start, end-start), Legend: "Period elapsed", Instant: true},
		{Expr: "max(" + m.sel("objective:attainment:ratio", objectiveMatcher(o)) + ")", Legend: "KPIs on target", Instant: true},
	}
	desc := fmt.Sprintf("Share of the period %s to %s gone, against the share of the objective's KPIs on target "+
		"(objective:attainment:ratio over %s).",
		o.Period.Start.Format("2006-01-02"), o.Period.End.Format("2006-01-02"), kpiList(kpis))
	return newPanel("bargauge", "Period progress", desc, queries, object{
		"options": gaugeOptions, "fieldConfig": progressFields})
}

// barOptions are horizontal bar gauge options with every key its schema requires.
func barOptions() object {
	return object{"displayMode": "gradient", "valueMode": "color", "namePlacement": "auto",
		"showUnfilled": true, "sizing": "auto", "minVizWidth": 8, "minVizHeight": 16, "maxVizHeight": 300,
		"orientation": "horizontal", "reduceOptions": reduceLast(),
		"legend": object{"displayMode": "list", "placement": "bottom", "showLegend": false, "calcs": []any{}}}
}
