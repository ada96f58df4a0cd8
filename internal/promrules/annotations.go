package promrules

import (
	"strconv"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// offTargetNotes describe a missed target; $value is the KPI's value (the alert keeps it).
func offTargetNotes(m *definition.Model, k *definition.KPI) map[string]string {
	return map[string]string{
		"summary": text(title(k)) + " is off target",
		"description": text(title(k)) + " is " + format(k.Unit, "$value") + ", " + side(k) +
			" today's target of " + queried(m, k, SeriesTarget) + ".",
	}
}

// criticalNotes describe a crossed critical bound, with the target for scale.
func criticalNotes(m *definition.Model, k *definition.KPI) map[string]string {
	return map[string]string{
		"summary": text(title(k)) + " is critical",
		"description": text(title(k)) + " is " + format(k.Unit, "$value") + ", " + side(k) +
			" the critical bound of " + queried(m, k, SeriesCritical) + " (today's target: " + queried(m, k, SeriesTarget) + ").",
	}
}

// atRiskNotes describe a forecast that misses the final target; $value is the forecast.
func atRiskNotes(o *definition.Objective, k *definition.KPI) map[string]string {
	end := o.Period.End.Format("2006-01-02")
	return map[string]string{
		"summary": text(title(k)) + " is at risk of missing its target by " + end,
		"description": text(title(k)) + " is forecast to reach " + format(k.Unit, "$value") + " by " + end +
			", " + side(k) + " the final target of " + format(k.Unit, strconv.Quote(num(k.Target.Final()))) + ".",
	}
}

// noDataNotes say where silence comes from, since nothing else will.
func noDataNotes(k *definition.KPI) map[string]string {
	return map[string]string{
		"summary": text(title(k)) + " has no data",
		"description": "No value of " + text(title(k)) + " for " + k.Alert.AbsentFor.String() +
			": a series it is computed from stopped arriving; check kpic serve, its sources and the metrics the KPI reads.",
	}
}

// side says which way a value misses: below when higher is better, above when lower is.
func side(k *definition.KPI) string {
	if k.Target.Direction == definition.Lower {
		return "above"
	}
	return "below"
}

// title names the KPI in prose: its title, or its name when it has none.
func title(k *definition.KPI) string {
	if k.Title != "" {
		return k.Title
	}
	return k.Name
}

// text keeps user text literal inside an alert template: text holding "{{" becomes a quoted
// template string, so a title cannot break or inject template actions.
func text(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return "{{ " + strconv.Quote(s) + " }}"
}

// queried fetches a KPI's kpi:* series at alert time and formats it in the KPI's unit.
func queried(m *definition.Model, k *definition.KPI, series string) string {
	q := "query `" + m.RuleSeries(series, k.Name) + "`"
	return "{{ with " + q + " }}" + format(k.Unit, ". | first | value") + "{{ end }}"
}

// format renders the template pipeline v in the unit with Prometheus' humanize functions.
func format(unit, v string) string {
	switch unit {
	case "ratio":
		return "{{ " + v + " | humanizePercentage }}"
	case "percent":
		return "{{ " + v + " | humanize }}%"
	case "seconds":
		return "{{ " + v + " | humanizeDuration }}"
	case "days":
		return "{{ " + v + " | humanize }} days"
	case "bytes":
		return "{{ " + v + " | humanize1024 }}B"
	case "dollars":
		return "${{ " + v + " | humanize }}"
	case "euros":
		return "€{{ " + v + " | humanize }}"
	case "pounds":
		return "£{{ " + v + " | humanize }}"
	}
	return "{{ " + v + " | humanize }}"
}
