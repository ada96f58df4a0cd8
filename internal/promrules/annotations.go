package promrules

import (
	"strconv"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// The annotations of the shared alerts are Prometheus templates over the alert's series, which
// carries what they say as labels of its KPI (see annotationLabels): its title, direction,
// unit, objective end, runbook, critical bound, final target and, when it is fixed, its target.
// Only a ramp's target, which changes with time, is looked up at alert time on kpi:target.
// Prometheus parses and expands every annotation of every pending and firing alert at each
// evaluation, so the templates are kept short. Values are formatted as the KPI's unit says.
// User text (titles, runbook URLs) arrives as data and is never parsed as a template.

// titleLookup is a template prefix setting $title (the KPI's title, or its name:
// alertConfigLabels fills alert_title with one of them), $dir (its direction) and $unit.
const titleLookup = `{{ $title := $labels.alert_title }}{{ $dir := $labels.alert_direction }}{{ $unit := $labels.alert_unit }}`

// find is a template pipeline giving the PromQL that selects the alert's KPI's series of that
// name: printf "kpi:target{kpi=%q,tenant=\"acme\"}" $labels.kpi.
func find(m *definition.Model, name string) string {
	rules := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(m.RulesMatchers(), "{"), "}"), "%", "%%")
	if rules != "" {
		rules = "," + rules
	}
	return "(printf " + strconv.Quote(name+"{kpi=%q"+rules+"}") + " $labels.kpi)"
}

// targetLookup sets $target to today's target: the alert_target label of a fixed target, or
// for a ramp kpi:target queried at alert time.
func targetLookup(m *definition.Model) string {
	return "{{ $target := $labels.alert_target }}{{ if not $target }}{{ with query " + find(m, SeriesTarget) +
		" }}{{ $target = . | first | value }}{{ end }}{{ end }}"
}

// shown formats the template variable v in the KPI's unit, nothing when v is empty.
func shown(v string) string { return "{{ with " + v + " }}" + format(".") + "{{ end }}" }

// endLookup sets $end to the last day of the KPI's objective.
const endLookup = `{{ $end := $labels.alert_period_end }}`

// side says which way a value misses: below when higher is better, above when lower is.
const side = `{{ if eq $dir "lower" }}above{{ else }}below{{ end }}`

// offTargetNotes describe a missed target; $value is the KPI's value (the alert keeps it).
func offTargetNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": "{{ $labels.alert_title }} is off target",
		"description": titleLookup + targetLookup(m) + "{{ $title }} is " + format("$value") + ", " + side +
			" today's target of " + shown("$target") + ".",
	}
}

// criticalNotes describe a crossed critical bound, with the target for scale.
func criticalNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": "{{ $labels.alert_title }} is critical",
		"description": titleLookup + targetLookup(m) + "{{ $title }} is " + format("$value") + ", " + side +
			" the critical bound of " + shown("$labels.alert_critical") + " (today's target: " + shown("$target") + ").",
	}
}

// atRiskNotes describe a forecast that misses the final target; $value is the forecast.
func atRiskNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": "{{ $labels.alert_title }} is at risk of missing its target by {{ $labels.alert_period_end }}",
		"description": titleLookup + endLookup + "{{ $title }} is forecast to reach " + format("$value") + " by {{ $end }}, " +
			side + " the final target of " + shown("$labels.alert_final") + ".",
	}
}

// noDataNotes say where silence comes from, since nothing else will.
func noDataNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": "{{ $labels.alert_title }} has no data",
		"description": "No value of {{ $labels.alert_title }} for " + p.wait.String() +
			": a series it is computed from stopped arriving; check kpic serve, its sources and the metrics the KPI reads.",
	}
}

// runbookTemplate is the KPI's alert.runbook.
const runbookTemplate = "{{ $labels.alert_runbook }}"

// dashboardTemplate links to the KPI's detail dashboard.
func dashboardTemplate(m *definition.Model) string {
	return text(m.DashboardURL("")) + "{{ $labels.kpi | urlquery }}"
}

// text keeps literal text inside an alert template: text holding "{{" becomes a quoted
// template string, so it cannot break or inject template actions.
func text(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return "{{ " + strconv.Quote(s) + " }}"
}

// format renders the template pipeline v in the KPI's $unit with Prometheus' humanize
// functions.
func format(v string) string {
	var b strings.Builder
	for i, u := range formats {
		if i == 0 {
			b.WriteString("{{ if ")
		} else {
			b.WriteString("{{ else if ")
		}
		b.WriteString(`eq $unit "` + u.unit + `" }}` + u.prefix + "{{ " + v + " | " + u.fn + " }}" + u.suffix)
	}
	return b.String() + "{{ else }}{{ " + v + " | humanize }}{{ end }}"
}

// formats are the units shown other than by plain humanize.
var formats = []struct{ unit, prefix, fn, suffix string }{
	{"ratio", "", "humanizePercentage", ""},
	{"percent", "", "humanize", "%"},
	{"seconds", "", "humanizeDuration", ""},
	{"days", "", "humanize", " days"},
	{"bytes", "", "humanize1024", "B"},
	{"dollars", "$", "humanize", ""},
	{"euros", "€", "humanize", ""},
	{"pounds", "£", "humanize", ""},
}
