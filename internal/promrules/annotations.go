package promrules

import (
	"strconv"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// The annotations of the shared alerts are Prometheus templates over the alert's series,
// which carries its KPI's title, direction, unit, objective end and runbook as labels (see
// annotationLabels); only the target and critical bound, which change with time, are looked up
// at alert time, on kpi:target and kpi:critical. Values are formatted as the KPI's unit says.
// User text (titles, runbook URLs) arrives as data and is never parsed as a template.

// titleLookup is a template prefix setting $title (the KPI's title, or its name), $dir (its
// direction) and $unit.
const titleLookup = `{{ $title := $labels.kpi }}{{ with $labels.alert_title }}{{ $title = . }}{{ end }}` +
	`{{ $dir := "higher" }}{{ with $labels.alert_direction }}{{ $dir = . }}{{ end }}{{ $unit := $labels.alert_unit }}`

// find is a template pipeline giving the PromQL that selects the alert's KPI's series of
// each name, joined by or: printf "kpi:target{kpi=%q,tenant=\"acme\"}" $kpi.
func find(m *definition.Model, names ...string) string {
	rules := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(m.RulesMatchers(), "{"), "}"), "%", "%%")
	if rules != "" {
		rules = "," + rules
	}
	var sels, args []string
	for _, n := range names {
		sels = append(sels, n+"{kpi=%q"+rules+"}")
		args = append(args, "$labels.kpi")
	}
	return "(printf " + strconv.Quote(strings.Join(sels, " or ")) + " " + strings.Join(args, " ") + ")"
}

// queried fetches the alert's KPI's series at alert time and formats it in the unit.
func queried(m *definition.Model, names ...string) string {
	return "{{ with query " + find(m, names...) + " }}" + format(". | first | value") + "{{ end }}"
}

// endLookup sets $end to the last day of the KPI's objective.
const endLookup = `{{ $end := $labels.alert_period_end }}`

// side says which way a value misses: below when higher is better, above when lower is.
const side = `{{ if eq $dir "lower" }}above{{ else }}below{{ end }}`

// offTargetNotes describe a missed target; $value is the KPI's value (the alert keeps it).
func offTargetNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": titleLookup + "{{ $title }} is off target",
		"description": titleLookup + "{{ $title }} is " + format("$value") + ", " + side +
			" today's target of " + queried(m, SeriesTarget) + ".",
	}
}

// criticalNotes describe a crossed critical bound, with the target for scale.
func criticalNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": titleLookup + "{{ $title }} is critical",
		"description": titleLookup + "{{ $title }} is " + format("$value") + ", " + side +
			" the critical bound of " + queried(m, SeriesCritical) + " (today's target: " + queried(m, SeriesTarget) + ").",
	}
}

// atRiskNotes describe a forecast that misses the final target; $value is the forecast.
func atRiskNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": titleLookup + endLookup + "{{ $title }} is at risk of missing its target by {{ $end }}",
		"description": titleLookup + endLookup + "{{ $title }} is forecast to reach " + format("$value") + " by {{ $end }}, " +
			side + " the final target of " + queried(m, seriesFinal, SeriesTarget) + ".",
	}
}

// noDataNotes say where silence comes from, since nothing else will.
func noDataNotes(m *definition.Model, p partition) map[string]string {
	return map[string]string{
		"summary": titleLookup + "{{ $title }} has no data",
		"description": titleLookup + "No value of {{ $title }} for " + p.wait.String() +
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
