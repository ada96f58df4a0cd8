package promrules

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// Names of the recorded series, shared by every KPI and told apart by the kpi label.
const (
	SeriesValue      = "kpi:value"
	SeriesTarget     = "kpi:target"
	SeriesCritical   = "kpi:critical"
	SeriesAttainment = "kpi:attainment:ratio"
	SeriesStatus     = "kpi:status"
	SeriesForecast   = "kpi:forecast"
	SeriesInfo       = "kpi:info"

	// SeriesObjectiveStatus is the worst kpi:status of an objective's KPIs.
	SeriesObjectiveStatus = "objective:status"
	// SeriesObjectiveAttainment is the share of an objective's KPIs meeting today's target.
	SeriesObjectiveAttainment = "objective:attainment:ratio"
)

// Series the shared rules join on; they are kpic's own plumbing, documented in docs/rules.md.
const (
	// seriesFinal is the final target of a ramp (a fixed target's is kpi:target).
	seriesFinal = "kpi:target:final"
	// seriesAlertConfig carries a KPI's alert tuning and links as labels, always 1.
	seriesAlertConfig = "kpi:alert:config"
	// seriesInputsAbsent is 1 while an input of a ratio or growth KPI is absent.
	seriesInputsAbsent = "kpi:inputs:absent"
	// seriesTrend is kpi:value sampled at the trend interval, with the objective label.
	seriesTrend = "kpi:value:trend"
	// seriesTrendForecast is the trend's projection to the end of the period, recorded with
	// each trend sample; kpi:forecast reads its latest.
	seriesTrendForecast = "kpi:forecast:trend"
	// seriesPeriodStart and seriesPeriodEnd are an objective's period as Unix seconds.
	seriesPeriodStart = "objective:period:start"
	seriesPeriodEnd   = "objective:period:end"
)

// leg is one KPI's line of the recording of record that its objective's group fuses with the
// other KPIs' lines: PromQL whose series carry the KPI's kpi label.
type leg struct {
	record string
	Leg
}

// literal is a series of value 1 with exactly the given labels: absent() of a series that never
// exists returns its equality matchers as labels, which one index lookup finds empty, where a
// chain of label_replace calls would compile a regular expression per label at every evaluation.
// kpic:literal is a name no exporter or rule writes (kpic records kpi: and objective: names only).
func literal(labels map[string]string) string {
	var b strings.Builder
	b.WriteString(seriesLiteral + "{")
	for i, k := range slices.Sorted(maps.Keys(labels)) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + strconv.Quote(labels[k]))
	}
	return "absent(" + b.String() + "})"
}

// seriesLiteral is the series literal's absent() looks for; it never exists.
const seriesLiteral = "kpic:literal"

// withKPI gives a KPI's value the kpi label, as a leg of the objective's kpi:value rule.
func withKPI(kpi, expr string) string {
	return "label_replace(" + expr + ", \"kpi\", " + strconv.Quote(kpi) + ", \"\", \"\")"
}

// constantLegs are a KPI's legs of its objective's constant recordings, in record order: its
// target, critical bound, final target, description and alert tuning, and for a ratio or a
// growth when its inputs are absent.
func constantLegs(m *definition.Model, o *definition.Objective, k *definition.KPI) []leg {
	own := literal(map[string]string{"kpi": k.Name})
	line := func(record, expr string) leg { return leg{record, Leg{KPI: k.Name, Expr: expr}} }
	out := []leg{line(SeriesTarget, targetLeg(o, k.Target, own))}
	if k.Critical != nil {
		out = append(out, line(SeriesCritical, own+" * "+num(*k.Critical)))
	}
	if k.Target.IsRamp() {
		out = append(out, line(seriesFinal, own+" * "+num(*k.Target.To)))
	}
	out = append(out, line(SeriesInfo, literal(infoLabels(k))))
	if k.Alert.Disabled {
		return out
	}
	out = append(out, line(seriesAlertConfig, literal(alertConfigLabels(m, o, k))))
	if absent, ok := inputsAbsentExpr(m, k); ok {
		out = append(out, line(seriesInputsAbsent, withKPI(k.Name, absent)))
	}
	return out
}

// constantRecords are the recordings an objective's group fuses its KPIs' constants into, in
// evaluation order.
var constantRecords = []string{SeriesTarget, SeriesCritical, seriesFinal, SeriesInfo, seriesAlertConfig, seriesInputsAbsent}

// num writes a number as the user did; models built in Go may leave Text empty.
func num(n definition.Number) string {
	if n.Text != "" {
		return n.Text
	}
	return strconv.FormatFloat(n.Value, 'g', -1, 64)
}

// unix is an instant as PromQL compares it with time().
func unix(p int64) string { return strconv.FormatInt(p, 10) }

// targetLeg is today's target times the KPI's literal own: constant, or for a ramp the
// straight line from `from` at the start of the period to `to` at its end, held flat before
// and after.
func targetLeg(o *definition.Objective, t definition.Target, own string) string {
	if !t.IsRamp() {
		return own + " * " + num(t.Final())
	}
	start, end := o.Period.StartTime().Unix(), o.Period.EndTime().Unix()
	from, to := num(*t.From), num(*t.To)
	progress := "scalar(clamp(vector((time() - " + unix(start) + ") / " + unix(end-start) + "), 0, 1))"
	return own + " * (" + from + " + (" + to + " - " + from + ") * " + progress + ")"
}

// infoLabels describe the KPI on kpi:info, for joins in dashboards and alerts.
func infoLabels(k *definition.KPI) map[string]string {
	out := map[string]string{"kpi": k.Name, "objective": k.Objective, "owner": k.Owner,
		"direction": string(k.Target.Direction)}
	if k.Title != "" {
		out["title"] = k.Title
	}
	if k.Unit != "" {
		out["unit"] = k.Unit
	}
	return out
}

// alertConfigLabels are what the shared alerts need of one KPI: the labels its alerts carry
// (objective, team), the partition of alert rules it belongs to (alert_for, alert_absent_for),
// whether it forecasts, where its no-data signal comes from, and what its annotations link to
// and say (see annotationLabels). The annotations' labels are prefixed alert_ so that they
// never meet a label of the KPI's own series (a breakdown by unit, say) in the alerts' join.
func alertConfigLabels(m *definition.Model, o *definition.Objective, k *definition.KPI) map[string]string {
	out := map[string]string{"kpi": k.Name, "objective": k.Objective, "team": k.Owner,
		"alert_for": k.Alert.For.String(), "alert_absent_for": k.Alert.AbsentFor.String(),
		"forecast": strconv.FormatBool(forecasts(k)), "no_data_from": noDataFrom(m, k),
		"alert_period_end": o.Period.End.Format("2006-01-02"), "alert_direction": string(k.Target.Direction)}
	out["alert_title"] = cmp.Or(k.Title, k.Name)
	if k.Unit != "" {
		out["alert_unit"] = k.Unit
	}
	if !k.Target.IsRamp() {
		out["alert_target"] = num(k.Target.Final())
	}
	out["alert_final"] = num(k.Target.Final())
	if k.Critical != nil {
		out["alert_critical"] = num(*k.Critical)
	}
	if k.Alert.Runbook != "" {
		out["alert_runbook"] = k.Alert.Runbook
	}
	return out
}

// forecasts reports whether the KPI has the KPIAtRisk alert.
func forecasts(k *definition.KPI) bool { return k.Alert.Forecast == nil || *k.Alert.Forecast }

// ruleLabels are settings.rules.labels plus the rule's own labels, which win on a clash.
func ruleLabels(m *definition.Model, own map[string]string) map[string]string {
	if len(m.Settings.Rules.Labels)+len(own) == 0 {
		return nil
	}
	out := make(map[string]string, len(m.Settings.Rules.Labels)+len(own))
	for k, v := range m.Settings.Rules.Labels {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}
