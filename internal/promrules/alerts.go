package promrules

import (
	"cmp"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
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
//     alert.absent_for.
const (
	AlertOffTarget = "KPIOffTarget"
	AlertCritical  = "KPICritical"
	AlertAtRisk    = "KPIAtRisk"
	AlertNoData    = "KPINoData"
)

// partition is the KPIs that share alert rules: those waiting the same alert.for (for
// KPIOffTarget, KPICritical, KPIAtRisk) or alert.absent_for (for KPINoData), with or without a
// runbook (Prometheus would keep an empty runbook_url annotation).
type partition struct {
	wait                                  model.Duration
	runbook                               bool
	offTarget, critical, forecast, noData bool // some KPI of the partition needs the alert
}

// name is the partition's group name: kpic:alerts:<duration>, with :runbook for KPIs with one.
func (p partition) name() string {
	if p.runbook {
		return GroupAlertsPrefix + p.wait.String() + ":runbook"
	}
	return GroupAlertsPrefix + p.wait.String()
}

// file is the path of the partition's rules. promtool check rules refuses two alerts of the
// same name and labels in a file, so each partition has its own.
func (p partition) file() string {
	if p.runbook {
		return Dir + "kpic.alerts." + p.wait.String() + "-runbook.rules.yml"
	}
	return Dir + "kpic.alerts." + p.wait.String() + ".rules.yml"
}

// selects matches the alert tuning of the partition's KPIs.
func (p partition) selects() string {
	if p.runbook {
		return `alert_runbook!=""`
	}
	return `alert_runbook=""`
}

// alertFiles hold the shared alert groups, one per partition, named after it so that a KPI
// added or removed elsewhere never moves an alert (and its pending state) to another group.
func alertFiles(m *definition.Model) []RuleFile {
	var out []RuleFile
	for _, p := range partitions(m) {
		g := rulefmt.RuleGroup{Name: p.name(), Interval: m.Settings.Rules.Interval}
		if p.offTarget {
			g.Rules = append(g.Rules, offTargetAlert(m, p))
		}
		if p.critical {
			g.Rules = append(g.Rules, criticalAlert(m, p))
		}
		if p.forecast {
			g.Rules = append(g.Rules, atRiskAlert(m, p))
		}
		if p.noData {
			g.Rules = append(g.Rules, noDataAlert(m, p))
		}
		out = append(out, RuleFile{Path: p.file(), Groups: []rulefmt.RuleGroup{g}})
	}
	return out
}

// partitions gathers the alerting KPIs by the durations they wait and their runbook, sorted.
func partitions(m *definition.Model) []partition {
	type key struct {
		wait    model.Duration
		runbook bool
	}
	byKey := map[key]*partition{}
	get := func(d model.Duration, runbook bool) *partition {
		k := key{d, runbook}
		if byKey[k] == nil {
			byKey[k] = &partition{wait: d, runbook: runbook}
		}
		return byKey[k]
	}
	for _, k := range m.KPIs {
		if k.Alert.Disabled {
			continue
		}
		runbook := k.Alert.Runbook != ""
		p := get(k.Alert.For, runbook)
		p.offTarget = true
		p.critical = p.critical || k.Critical != nil
		p.forecast = p.forecast || forecasts(k)
		get(k.Alert.AbsentFor, runbook).noData = true
	}
	out := make([]partition, 0, len(byKey))
	for _, p := range byKey {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b partition) int {
		return cmp.Or(cmp.Compare(a.wait, b.wait), cmp.Compare(a.name(), b.name()))
	})
	return out
}

// config selects the alert tuning of the KPIs waiting the partition's alert.for.
func config(m *definition.Model, p partition, extra ...string) string {
	return q(m, seriesAlertConfig, append([]string{`alert_for="` + p.wait.String() + `"`, p.selects()}, extra...)...)
}

// The labels of kpi:alert:config that each alert's annotations read as $labels: each alert's
// expression joins them in and its rule labels set them empty, which drops them from the alert.
// Prometheus expands the annotations and every label of every pending and firing alert at each
// evaluation, an empty label included, so each alert joins only what its annotations read.
var (
	offTargetLabels = []string{"alert_title", "alert_direction", "alert_unit", "alert_target"}
	criticalLabels  = []string{"alert_title", "alert_direction", "alert_unit", "alert_target", "alert_critical"}
	atRiskLabels    = []string{"alert_title", "alert_direction", "alert_unit", "alert_period_end", "alert_final"}
	noDataLabels    = []string{"alert_title"}
)

// annotationLabels are what the annotations of the partition's alerts read: the runbook too in
// a partition of KPIs with one.
func annotationLabels(p partition, read []string) []string {
	if p.runbook {
		return append(slices.Clone(read), "alert_runbook")
	}
	return read
}

// labelled gives x (series of kpi:value's labels) the alert labels objective and team of its
// KPI and the labels its annotations read, keeping x's value, for the KPIs of the partition.
func labelled(x, config string, read []string) string {
	return "(" + x + ") * on(kpi) group_left(" + strings.Join(append([]string{"objective", "team"}, read...), ", ") + ") " + config
}

// offTargetAlert returns kpi:value (so $value is the KPI's value) while the KPI is amber or red.
func offTargetAlert(m *definition.Model, p partition) rulefmt.Rule {
	read := annotationLabels(p, offTargetLabels)
	expr := labelled(q(m, SeriesValue)+" and ("+q(m, SeriesStatus)+" >= 1)", config(m, p), read)
	return alert(m, p, AlertOffTarget, "warning", expr, read, offTargetNotes(m, p))
}

// criticalAlert returns kpi:value while the KPI is red.
func criticalAlert(m *definition.Model, p partition) rulefmt.Rule {
	read := annotationLabels(p, criticalLabels)
	expr := labelled(q(m, SeriesValue)+" and ("+q(m, SeriesStatus)+" == 2)", config(m, p), read)
	return alert(m, p, AlertCritical, "critical", expr, read, criticalNotes(m, p))
}

// atRiskAlert keeps the forecast where it misses the final target, only while the period runs:
// before it starts there is no trend to judge, after it ends KPIOffTarget says it all.
func atRiskAlert(m *definition.Model, p partition) rulefmt.Rule {
	final := "(" + q(m, seriesFinal) + " or " + q(m, SeriesTarget) + ")"
	misses := func(op string) string { return q(m, SeriesForecast) + " " + op + " on(kpi) group_left() " + final }
	forecast := direction(m, misses("<"), definition.Higher) + " or " + direction(m, misses(">"), definition.Lower)
	running := q(m, SeriesInfo) + " and on(objective) (" + q(m, seriesPeriodStart) + " <= time()) and on(objective) (" + q(m, seriesPeriodEnd) + " > time())"
	read := annotationLabels(p, atRiskLabels)
	expr := labelled("("+forecast+") and on(kpi) ("+running+")", config(m, p, `forecast="true"`), read)
	return alert(m, p, AlertAtRisk, "warning", expr, read, atRiskNotes(m, p))
}

// noDataAlert fires while the data a KPI is computed from is absent: the series a ratio or a
// growth reads, the value itself for the other kinds (absent exactly when the series it sums
// are), so a growth still building up its history or a ratio over a zero denominator (both
// rightly without a value) does not page anyone.
func noDataAlert(m *definition.Model, p partition) rulefmt.Rule {
	absentFor := `alert_absent_for="` + p.wait.String() + `"`
	byValue := q(m, seriesAlertConfig, absentFor, p.selects(), `no_data_from="value"`) + " unless on(kpi) " + q(m, SeriesValue)
	byInputs := q(m, seriesAlertConfig, absentFor, p.selects(), `no_data_from="inputs"`) + " and on(kpi) " + q(m, seriesInputsAbsent)
	read := annotationLabels(p, noDataLabels)
	expr := "max by (kpi, objective, team, " + strings.Join(read, ", ") + rulesBy(m) + ") (" + byValue + " or " + byInputs + ")"
	r := alert(m, p, AlertNoData, "critical", expr, read, noDataNotes(m, p))
	return r
}

// alert is one alerting rule with the labels and links every KPI alert carries.
func alert(m *definition.Model, p partition, name, severity, expr string, read []string, notes map[string]string) rulefmt.Rule {
	if p.runbook {
		notes["runbook_url"] = runbookTemplate
	}
	if u := m.DashboardURL("KPI"); u != "" {
		notes["dashboard_url"] = dashboardTemplate(m)
	}
	own := map[string]string{"severity": severity}
	for _, l := range read {
		own[l] = "" // read by the annotations, not an alert label
	}
	return rulefmt.Rule{Alert: name, Expr: expr, For: p.wait, Labels: ruleLabels(m, own), Annotations: notes}
}
