package promrules

import (
	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
)

// Alert names. They are part of kpic's interface (Alertmanager routes, silences and runbooks
// match them), so they never change:
//
//   - KPIOffTarget (warning): the KPI misses today's target (amber or red) for alert.for.
//   - KPICritical (critical): the KPI is beyond its critical bound (red) for alert.for; the
//     generated Alertmanager inhibit rule then mutes KPIOffTarget for the same KPI.
//   - KPIAtRisk (warning): while the objective's period runs, the forecast for its end misses
//     the final target for alert.for.
//   - KPINoData (critical): a series the KPI is computed from has been absent for
//     alert.absent_for (kpi:value itself for expr KPIs).
const (
	AlertOffTarget = "KPIOffTarget"
	AlertCritical  = "KPICritical"
	AlertAtRisk    = "KPIAtRisk"
	AlertNoData    = "KPINoData"
)

// alerts builds the KPI's alerting rules, or none when alert.disabled is set.
func alerts(m *definition.Model, o *definition.Objective, k *definition.KPI) []rulefmt.Rule {
	if k.Alert.Disabled {
		return nil
	}
	value := m.RuleSeries(SeriesValue, k.Name)
	out := []rulefmt.Rule{
		alert(m, k, AlertOffTarget, "warning", value+" and ("+m.RuleSeries(SeriesStatus, k.Name)+" >= 1)", offTargetNotes(m, k)),
	}
	if k.Critical != nil {
		out = append(out, alert(m, k, AlertCritical, "critical", value+" and ("+m.RuleSeries(SeriesStatus, k.Name)+" == 2)", criticalNotes(m, k)))
	}
	if k.Alert.Forecast == nil || *k.Alert.Forecast {
		out = append(out, alert(m, k, AlertAtRisk, "warning", atRiskExpr(m, o, k), atRiskNotes(o, k)))
	}
	noData := alert(m, k, AlertNoData, "critical", inputsAbsentExpr(m, k), noDataNotes(k))
	noData.For = k.Alert.AbsentFor
	return append(out, noData)
}

// alert is one alerting rule with the labels and links every KPI alert carries.
func alert(m *definition.Model, k *definition.KPI, name, severity, expr string, notes map[string]string) rulefmt.Rule {
	labels := ruleLabels(m, map[string]string{"kpi": k.Name, "objective": k.Objective, "team": k.Owner, "severity": severity})
	if k.Alert.Runbook != "" {
		notes["runbook_url"] = k.Alert.Runbook
	}
	if u := m.DashboardURL(k.Name); u != "" {
		notes["dashboard_url"] = u
	}
	return rulefmt.Rule{Alert: name, Expr: expr, For: k.Alert.For, Labels: labels, Annotations: notes}
}

// atRiskExpr keeps the forecast where it misses the final target, only while the period runs:
// before it starts there is no trend to judge, after it ends KPIOffTarget says it all.
func atRiskExpr(m *definition.Model, o *definition.Objective, k *definition.KPI) string {
	op := " < "
	if k.Target.Direction == definition.Lower {
		op = " > "
	}
	start, end := unix(o.Period.StartTime().Unix()), unix(o.Period.EndTime().Unix())
	return m.RuleSeries(SeriesForecast, k.Name) + op + num(k.Target.Final()) +
		" and on() (vector(time()) >= " + start + " < " + end + ")"
}
