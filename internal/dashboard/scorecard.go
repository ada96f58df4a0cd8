package dashboard

import (
	"fmt"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
)

// scorecard shows every KPI, a row per objective: how far each is from its target, how much
// of the objective's period has gone, and a status tile per KPI.
func scorecard(m *model) *sdk.Board {
	b := newBoard(scorecardUID, "KPI scorecard", []string{"scorecard"}, `ALERTS{alertstate="firing",kpi!=""}`)
	var g grid
	for _, o := range m.Objectives {
		kpis := m.byObjective[o.Name]
		if len(kpis) == 0 {
			continue
		}
		g.row(o.Title)
		g.add(attainmentGauge(o, kpis), 12, 2+2*len(kpis))
		g.add(progressGauge(o, kpis), 12, 2+2*len(kpis))
		for _, k := range kpis {
			g.add(m.stat(k), 6, 5)
		}
	}
	b.Panels = g.panels
	return b
}

// attainmentGauge shows each KPI's value as a percent of today's target (100% is met).
func attainmentGauge(o *definition.Objective, kpis []*definition.KPI) *sdk.Panel {
	queries := make([]query, len(kpis))
	for i, k := range kpis {
		queries[i] = query{Expr: "min(" + sel("kpi:attainment:ratio", k.Name) + ")", Legend: k.Title, Instant: true}
	}
	defaults := object{"unit": "percentunit", "min": 0, "max": 1.25, "decimals": 0,
		"color": object{"mode": "thresholds"}, "thresholds": thresholds(colorAmber, 1, colorGreen)}
	desc := fmt.Sprintf("Each KPI of %q as a percent of today's target, turned so that 100%% or more "+
		"always means met (kpi:attainment:ratio, the worst breakdown for KPIs that keep one).", o.Title)
	return newPanel("bargauge", "Percent of target", desc, queries, object{
		"options": barOptions(), "fieldConfig": fieldConfig(defaults)})
}

// progressGauge sets the share of the objective's period gone against the share of its KPIs
// on target, so an objective falling behind shows before its end.
func progressGauge(o *definition.Objective, kpis []*definition.KPI) *sdk.Panel {
	start, end := o.Period.StartTime().Unix(), o.Period.EndTime().Unix()
	status := selAny("kpi:status", kpis)
	queries := []query{
		{Expr: fmt.Sprintf("clamp(vector((time() - %d) / %d), 0, 1)", start, end-start), Legend: "Period elapsed", Instant: true},
		{Expr: fmt.Sprintf("(count(%s == 0) or vector(0)) / count(%s)", status, status), Legend: "KPIs on target", Instant: true},
	}
	defaults := object{"unit": "percentunit", "min": 0, "max": 1, "decimals": 0,
		"color": object{"mode": "fixed", "fixedColor": colorTarget}}
	desc := fmt.Sprintf("Share of the period %s to %s gone, against the share of the objective's KPIs on target (%s).",
		o.Period.Start.Format("2006-01-02"), o.Period.End.Format("2006-01-02"), kpiList(kpis))
	return newPanel("bargauge", "Period progress", desc, queries, object{
		"options": barOptions(), "fieldConfig": fieldConfig(defaults)})
}

// barOptions are horizontal bar gauge options with every key its schema requires.
func barOptions() object {
	return object{"displayMode": "gradient", "valueMode": "color", "namePlacement": "auto",
		"showUnfilled": true, "sizing": "auto", "minVizWidth": 8, "minVizHeight": 16, "maxVizHeight": 300,
		"orientation": "horizontal", "reduceOptions": reduceLast(),
		"legend": object{"displayMode": "list", "placement": "bottom", "showLegend": false, "calcs": []any{}}}
}
