package dashboard

import (
	"github.com/grafana-tools/sdk"
)

// kpiVar selects the KPI shown by the detail dashboard; alerts link to it with var-kpi.
const kpiVar = `kpi="$kpi"`

// detail shows one KPI, chosen by the `kpi` variable: its status, its value against the
// target line, the critical bound, the forecast and the previous period, its supporting
// metrics and its definition.
func detail(m *model) *sdk.Board {
	b := newBoard(detailUID, "KPI detail", []string{"kpi"}, m.sel("ALERTS", `alertstate="firing"`, kpiVar))
	b.Templating.List = append(b.Templating.List, kpiVariable(m))
	var g grid
	g.add(statusStat(m), 6, 4)
	g.add(detailStat("Value", "The KPI's latest value, in its unit.", m.sel("kpi:value", kpiVar), true, m), 6, 4)
	g.add(attainmentStat(m), 6, 4)
	g.add(detailStat("Forecast", "The value projected to the end of the objective's period from the recent trend.",
		m.sel("kpi:forecast", kpiVar), false, m), 6, 4)
	g.add(valueVsTarget(m), gridWidth, 10)
	g.add(supporting(m), gridWidth, 8)
	g.add(about(m), 16, 6)
	g.add(reading(), 8, 6)
	b.Panels = g.panels
	return b
}

// kpiVariable lists the KPIs from kpi:info, so the dashboard follows the rules deployed.
func kpiVariable(m *model) sdk.TemplateVar {
	one := int64(1)
	q := "label_values(" + m.sel("kpi:info") + ", kpi)"
	return sdk.TemplateVar{Name: "kpi", Label: "KPI", Type: "query", Datasource: datasourceRef(),
		Query: q, Refresh: sdk.BoolInt{Value: &one}, Sort: 1, Options: []sdk.Option{}}
}

// statusStat shows kpi:status as words on its colour.
func statusStat(m *model) *sdk.Panel {
	defaults := object{"color": object{"mode": "thresholds"}, "thresholds": thresholds(colorGreen),
		"mappings": []any{statusMapping()}, "noValue": "No data"}
	return newPanel("stat", "Status", "kpi:status: on target (green), between target and critical (amber), beyond critical (red).",
		[]query{{Expr: "max(" + m.sel("kpi:status", kpiVar) + ")", Legend: "Status"}},
		object{"options": statOptions("none", "background", false, "standard"), "fieldConfig": fieldConfig(defaults)})
}

// statusMapping names and colours the values of kpi:status.
func statusMapping() object {
	return object{"type": "value", "options": object{
		"0": object{"text": "On target", "color": colorGreen, "index": 0},
		"1": object{"text": "Off target", "color": colorAmber, "index": 1},
		"2": object{"text": "Critical", "color": colorRed, "index": 2},
	}}
}

// attainmentStat shows the value as a percent of today's target.
func attainmentStat(m *model) *sdk.Panel {
	defaults := object{"unit": "percentunit", "decimals": 1, "color": object{"mode": "thresholds"},
		"thresholds": thresholds(colorAmber, 1, colorGreen), "noValue": "No data"}
	return newPanel("stat", "Percent of target", "kpi:attainment:ratio: the value over today's target, turned so that 100% or more always means met.",
		[]query{{Expr: "min(" + m.sel("kpi:attainment:ratio", kpiVar) + ")", Legend: "Attainment"}},
		object{"options": statOptions("area", "value", false, "standard"), "fieldConfig": fieldConfig(defaults)})
}

// detailStat shows one series of the selected KPI in the KPI's own unit.
func detailStat(title, desc, expr string, change bool, m *model) *sdk.Panel {
	defaults := object{"color": object{"mode": "fixed", "fixedColor": colorTarget}, "noValue": "No data"}
	p := newPanel("stat", title, desc, []query{{Expr: expr, Legend: title}, unitQuery(m)}, object{
		"options": statOptions("area", "value", change, "same_as_value"), "fieldConfig": fieldConfig(defaults),
		"transformations": []any{unitFromData()},
	})
	return p
}
