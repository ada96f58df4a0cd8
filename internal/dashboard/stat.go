package dashboard

import (
	"strings"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
)

// kpiStat shows a KPI's value in its unit with a sparkline and the change over the time range,
// on a background coloured like kpi:status: green at or beyond today's target, amber up to the
// critical bound, red beyond it. Grafana colours a value only from its own thresholds, so the
// thresholds come from kpi:target and kpi:critical, the same series kpi:status is computed from.
func kpiStat(m *model, k *definition.KPI) *sdk.Panel {
	queries := []query{{Expr: m.kpiSel("kpi:value", k.Name), Legend: valueLegend(k)},
		{Expr: m.kpiSel("kpi:target", k.Name), Legend: "target"}}
	if k.Critical != nil {
		queries = append(queries, query{Expr: m.kpiSel("kpi:critical", k.Name), Legend: "critical"})
	}
	defaults := valueDefaults(k)
	defaults["color"] = object{"mode": "thresholds"}
	defaults["thresholds"] = tileThresholds[baseColor(k)]
	defaults["links"] = []any{link("Open "+k.Title, "Value against target, forecast and supporting metrics", detailURL(k.Name))}
	return newPanel("stat", k.Title, kpiDescription(k), queries, object{
		"options":         tileOptions[changeColorMode(k)],
		"fieldConfig":     fieldConfig(defaults),
		"transformations": tileTransformations[tileShape{k.Target.Direction == definition.Lower, k.Critical != nil}],
	})
}

// The parts of a tile that only depend on its KPI's direction and critical bound, one
// constant each.
var (
	tileOptions = map[string]*constant{
		"standard": {statOptions("area", "background", true, "standard")},
		"inverted": {statOptions("area", "background", true, "inverted")},
	}
	tileThresholds = map[string]*constant{
		colorGreen: {thresholds(colorGreen)}, colorRed: {thresholds(colorRed)}, colorAmber: {thresholds(colorAmber)},
	}
	tileTransformations = map[tileShape]*constant{
		{false, false}: {statusThresholds(false, false)}, {false, true}: {statusThresholds(false, true)},
		{true, false}: {statusThresholds(true, false)}, {true, true}: {statusThresholds(true, true)},
	}
)

// tileShape is whether lower is better and whether there is a critical bound.
type tileShape struct{ lower, critical bool }

// statOptions are the stat panel's options with every key its schema requires.
func statOptions(graph, color string, change bool, changeMode string) object {
	return object{"graphMode": graph, "colorMode": color, "justifyMode": "auto", "textMode": "auto",
		"wideLayout": true, "showPercentChange": change, "percentChangeColorMode": changeMode,
		"orientation": "auto", "reduceOptions": reduceLast()}
}

// baseColor is the colour of a value short of every threshold.
func baseColor(k *definition.KPI) string {
	switch {
	case k.Target.Direction == definition.Lower:
		return colorGreen
	case k.Critical != nil:
		return colorRed
	}
	return colorAmber
}

// statusThresholds turns the target and critical queries into thresholds of the value, in
// ascending order: critical then target when higher is better, target then critical otherwise.
func statusThresholds(lower, critical bool) []any {
	target := configFrom("B", "target", colorGreen)
	if lower {
		target = configFrom("B", "target", colorAmber)
	}
	if !critical {
		return []any{target}
	}
	if lower {
		return []any{target, configFrom("C", "critical", colorRed)}
	}
	return []any{configFrom("C", "critical", colorAmber), target}
}

// configFrom adds the last value of query refID as a threshold of the value query A.
func configFrom(refID, field, color string) object {
	return object{"id": "configFromData", "options": object{
		"configRefId": refID,
		"applyTo":     object{"id": "byFrameRefID", "options": "A"},
		"mappings": []any{object{"fieldName": field, "handlerKey": "threshold1", "reducerId": "lastNotNull",
			"handlerArguments": object{"threshold": object{"color": color}}}},
	}}
}

// valueDefaults are the field defaults of a KPI's value: its unit and decimals.
func valueDefaults(k *definition.KPI) object {
	d := object{"unit": grafanaUnit(k.Unit), "noValue": "No data"}
	if k.Dashboard.Decimals != nil {
		d["decimals"] = *k.Dashboard.Decimals
	}
	return d
}

// valueLegend names a KPI's series: its title, or its breakdown labels when it keeps one.
func valueLegend(k *definition.KPI) string {
	if len(k.By) == 0 {
		return k.Title
	}
	parts := make([]string, len(k.By))
	for i, l := range k.By {
		parts[i] = "{{" + l + "}}"
	}
	return strings.Join(parts, " ")
}
