package dashboard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/grafana-tools/sdk"
)

// valueVsTarget draws the value against the dashed target line (the ramp shows as a slope),
// the critical bound, the forecast to the end of the period and the previous period.
func valueVsTarget(m *model) *sdk.Panel {
	queries := []query{
		{Expr: m.sel("kpi:value", kpiVar), Legend: "Value"},
		{Expr: m.sel("kpi:target", kpiVar), Legend: "Target"},
		{Expr: m.sel("kpi:critical", kpiVar), Legend: "Critical"},
		{Expr: m.sel("kpi:forecast", kpiVar), Legend: forecastLegend},
		{Expr: m.sel("kpi:value", kpiVar) + " offset $__range", Legend: previousLegend},
		unitQuery(m),
	}
	defaults := object{"custom": object{"lineWidth": 2, "fillOpacity": 0, "showPoints": "never", "spanNulls": true}}
	return newPanel("timeseries", "Value against target", "The KPI (solid) against today's target (dashed), "+
		"the critical bound (dotted red), the forecast for the end of the period and the same span one period earlier.",
		queries, object{"options": timeseriesOptions(), "transformations": []any{unitFromData()},
			"fieldConfig": fieldConfig(defaults,
				lineOverride("Target", colorTarget, "dash", 10, 10),
				lineOverride("Critical", colorRed, "dot", 0, 10),
				lineOverride(forecastLegend, "purple", "dash", 4, 4),
				lineOverride(previousLegend, "text", "dot", 2, 6))})
}

// Legends of the detail chart's series, which its overrides match by name.
const (
	forecastLegend = "Forecast (end of period)"
	previousLegend = "Previous period"
)

// lineOverride draws the series named legend in a fixed colour and line style.
func lineOverride(legend, color, fill string, dash, gap int) object {
	return override(legend,
		"color", object{"mode": "fixed", "fixedColor": color},
		"custom.lineStyle", object{"fill": fill, "dash": []any{dash, gap}})
}

// supporting draws the supporting metrics of the selected KPI: one query per KPI and metric,
// each returning data only while its KPI is selected.
func supporting(m *model) *sdk.Panel {
	if len(m.KPIs) > maxEmbeddedKPIs {
		return supportingElsewhere(len(m.KPIs))
	}
	var queries []query
	for _, k := range m.KPIs {
		gate := " and on () (" + m.kpiSel("kpi:info", k.Name) + " and on (kpi) " + m.sel("kpi:info", kpiVar) + ")"
		for _, name := range k.Supporting {
			if expr, ok := m.SeriesExpr(name); ok {
				queries = append(queries, query{Expr: expr + gate, Legend: supportingLegend(m, name)})
			}
		}
	}
	defaults := object{"unit": "short", "custom": object{"lineWidth": 1, "fillOpacity": 10, "showPoints": "never"}}
	return newPanel("timeseries", "Supporting metrics", "The metrics the selected KPI's definition lists as supporting it.",
		queries, object{"options": timeseriesOptions(), "fieldConfig": fieldConfig(defaults)})
}

// maxEmbeddedKPIs bounds the per-KPI data the KPI detail dashboard embeds: the supporting
// chart runs one gated query per KPI and supporting metric on every refresh, and About this KPI
// carries two value mappings per KPI. With more KPIs than this, both would grow with the model
// (10,000 KPIs made a 7 MB dashboard whose chart ran 10,000 queries), so they are left out:
// see supportingElsewhere and aboutColumns.
const maxEmbeddedKPIs = 200

// supportingElsewhere replaces the supporting chart of a large model: it says where the
// supporting metrics are, without per-KPI queries.
func supportingElsewhere(n int) *sdk.Panel {
	return textPanel("Supporting metrics", "Where the supporting metrics are for models with many KPIs.",
		fmt.Sprintf("The definitions hold %d KPIs, more than the %d whose supporting metrics this dashboard "+
			"charts (one query per KPI would run on every refresh). The KPI's `supporting:` metrics are in its "+
			"definition in kpis/; each metric is charted on the dashboard of the team that owns it (**Teams** above).",
			n, maxEmbeddedKPIs))
}

// supportingLegend names a supporting series by its metric, and its labels when it has some.
func supportingLegend(m *model, name string) string {
	var labels []string
	if x := m.Metric(name); x != nil {
		labels = x.Labels
	} else if k := m.KPI(name); k != nil {
		labels = k.By
	}
	parts := []string{name}
	for _, l := range labels {
		parts = append(parts, "{{"+l+"}}")
	}
	return strings.Join(parts, " ")
}

// timeseriesOptions show a legend with the last value and a shared tooltip.
func timeseriesOptions() object {
	return object{
		"legend":  object{"displayMode": "list", "placement": "bottom", "showLegend": true, "calcs": []any{"lastNotNull"}},
		"tooltip": object{"mode": "multi", "sort": "none"},
	}
}

// unitQuery returns the Grafana unit of the selected KPI, read from kpi:info's unit label, so
// one dashboard shows every KPI in its own unit.
func unitQuery(m *model) query {
	expr := m.sel("kpi:info", kpiVar)
	units := make([]string, 0, len(grafanaUnits))
	for u := range grafanaUnits {
		units = append(units, u)
	}
	slices.Sort(units)
	for _, u := range units {
		expr = fmt.Sprintf(`label_replace(%s, "grafana_unit", %q, "unit", %q)`, expr, grafanaUnits[u], u)
	}
	return query{RefID: "unit", Expr: "max by (grafana_unit) (" + expr + ")", Instant: true, Table: true}
}

// unitFromData applies the unit query's result to the other queries' fields.
func unitFromData() object {
	return object{"id": "configFromData", "options": object{
		"configRefId": "unit",
		"mappings":    []any{object{"fieldName": "grafana_unit", "handlerKey": "unit"}},
	}}
}
