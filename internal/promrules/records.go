package promrules

import (
	"fmt"
	"strconv"

	"github.com/prometheus/prometheus/model/rulefmt"

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
	// seriesPeriodStart and seriesPeriodEnd are an objective's period as Unix seconds.
	seriesPeriodStart = "objective:period:start"
	seriesPeriodEnd   = "objective:period:end"
)

// kpiRecordings are the rules that differ between KPIs, in evaluation order: its value, its
// constants and the alert tuning the shared rules join on.
func kpiRecordings(m *definition.Model, k *definition.KPI) ([]rulefmt.Rule, error) {
	value, err := valueExpr(m, k)
	if err != nil {
		return nil, err
	}
	o := m.Objective(k.Objective)
	if o == nil {
		return nil, fmt.Errorf("unknown objective %q", k.Objective)
	}
	rec := func(name, expr string, labels map[string]string) rulefmt.Rule {
		return rulefmt.Rule{Record: name, Expr: expr, Labels: ruleLabels(m, labels)}
	}
	own := map[string]string{"kpi": k.Name}
	out := []rulefmt.Rule{rec(SeriesValue, value, own), rec(SeriesTarget, targetExpr(o, k.Target), own)}
	if k.Critical != nil {
		out = append(out, rec(SeriesCritical, "vector("+num(*k.Critical)+")", own))
	}
	if k.Target.IsRamp() {
		out = append(out, rec(seriesFinal, "vector("+num(*k.Target.To)+")", own))
	}
	out = append(out, rec(SeriesInfo, "vector(1)", infoLabels(k)))
	if k.Alert.Disabled {
		return out, nil
	}
	out = append(out, rec(seriesAlertConfig, "vector(1)", alertConfigLabels(m, o, k)))
	if absent, ok := inputsAbsentExpr(m, k); ok {
		out = append(out, rec(seriesInputsAbsent, absent, own))
	}
	return out, nil
}

// num writes a number as the user did; models built in Go may leave Text empty.
func num(n definition.Number) string {
	if n.Text != "" {
		return n.Text
	}
	return strconv.FormatFloat(n.Value, 'g', -1, 64)
}

// unix is an instant as PromQL compares it with time().
func unix(p int64) string { return strconv.FormatInt(p, 10) }

// targetExpr is today's target: constant, or for a ramp the straight line from `from` at the
// start of the period to `to` at its end, held flat before and after.
func targetExpr(o *definition.Objective, t definition.Target) string {
	if !t.IsRamp() {
		return "vector(" + num(t.Final()) + ")"
	}
	start, end := o.Period.StartTime().Unix(), o.Period.EndTime().Unix()
	from, to := num(*t.From), num(*t.To)
	progress := "clamp(vector((time() - " + unix(start) + ") / " + unix(end-start) + "), 0, 1)"
	return from + " + (" + to + " - " + from + ") * " + progress
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
	if k.Title != "" {
		out["alert_title"] = k.Title
	}
	if k.Unit != "" {
		out["alert_unit"] = k.Unit
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
