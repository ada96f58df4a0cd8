package promrules

import (
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
)

// Names of the shared groups, which hold the rules written once for all KPIs.
const (
	GroupTrend  = "kpic:trend"
	GroupStatus = "kpic:status"
	// GroupAlertsPrefix starts the alert groups' names: kpic:alerts:<duration>[:runbook].
	GroupAlertsPrefix = "kpic:alerts:"
)

// sharedGroups are the recording groups whose rules have the same shape for every KPI: the
// trend the forecast reads, then status, attainment, forecast and objective rollups.
// Their rules never name a KPI, so adding or removing KPIs leaves them as they are.
func sharedGroups(m *definition.Model) []rulefmt.RuleGroup {
	rec := func(name, expr string) rulefmt.Rule {
		return rulefmt.Rule{Record: name, Expr: expr, Labels: ruleLabels(m, nil)}
	}
	trend := rulefmt.RuleGroup{Name: GroupTrend, Interval: model.Duration(trendInterval(m)), Rules: []rulefmt.Rule{
		rec(seriesTrend, q(m, SeriesValue)+" * on(kpi) group_left(objective) "+q(m, SeriesInfo)),
		rec(seriesTrendForecast, trendForecastExpr(m)),
	}}
	status := rulefmt.RuleGroup{Name: GroupStatus, Interval: m.Settings.Rules.Interval, Rules: []rulefmt.Rule{
		rec(SeriesAttainment, attainmentExpr(m)),
		rec(SeriesStatus, statusExpr(m)),
		rec(SeriesForecast, forecastExpr(m)),
		rec(SeriesObjectiveStatus, objectiveStatusExpr(m)),
		rec(SeriesObjectiveAttainment, objectiveAttainmentExpr(m)),
	}}
	return []rulefmt.RuleGroup{trend, status}
}

// q selects a series of this project: name{matchers..., <rules labels>}.
func q(m *definition.Model, name string, matchers ...string) string {
	rules := m.RulesMatchers()
	if len(matchers) == 0 {
		return name + rules
	}
	all := strings.Join(matchers, ",")
	if rules != "" {
		all += "," + strings.TrimSuffix(strings.TrimPrefix(rules, "{"), "}")
	}
	return name + "{" + all + "}"
}

// direction keeps x for the KPIs of one direction.
func direction(m *definition.Model, x string, d definition.Direction) string {
	return "(" + x + ") and on(kpi) " + q(m, SeriesInfo, `direction="`+string(d)+`"`)
}

// attainmentExpr turns value against target so that 1 or more means met: value / target when
// higher is better, target / value when lower is. A zero divisor leaves no attainment.
func attainmentExpr(m *definition.Model) string {
	value, target := q(m, SeriesValue), q(m, SeriesTarget)
	higher := value + " / on(kpi) group_left() (" + target + " != 0)"
	lower := target + " / on(kpi) group_right() (" + value + " != 0)"
	return direction(m, higher, definition.Higher) + " or " + direction(m, lower, definition.Lower)
}

// statusExpr adds one for a missed target and one more for a crossed critical bound: 0 green,
// 1 amber, 2 red. Validation keeps critical beyond the target, so red implies amber; a KPI
// without a critical bound adds nothing for it.
func statusExpr(m *definition.Model) string {
	value := q(m, SeriesValue)
	side := func(op string) string {
		cmp := " " + op + " bool on(kpi) group_left() "
		return "(" + value + cmp + q(m, SeriesTarget) + ") + ((" + value + cmp + q(m, SeriesCritical) + ") or " + value + " * 0)"
	}
	return direction(m, side("<"), definition.Higher) + " or " + direction(m, side(">"), definition.Lower)
}

// trendForecastExpr projects the trend of the last forecast_window linearly to the end of its
// objective's period, once at least half of that window has trend samples: a trend read from a
// few minutes of a new KPI would project wild values and false "at risk" alerts. The projection
// is the regression's value now plus its slope times the time left, the regression line at the
// period's end. It runs with each trend sample, in the trend's group: the window changes only
// when a sample enters it, and reading it three times per KPI at every evaluation was most of a
// cycle's cost.
func trendForecastExpr(m *definition.Model) string {
	window := "[" + m.Settings.Rules.ForecastWindow.String() + "]"
	trend, end := q(m, seriesTrend)+window, q(m, seriesPeriodEnd)
	return "predict_linear(" + trend + ", 0) + deriv(" + trend + ") * on(objective) group_left() (" + end + " - time())" +
		" and count_over_time(" + trend + ") >= " + strconv.FormatInt(minForecastSamples(m), 10)
}

// forecastExpr is the latest projection of the trend while the objective's period runs, and
// the value itself once the period is over.
func forecastExpr(m *definition.Model) string {
	end := q(m, seriesPeriodEnd)
	running := "last_over_time(" + q(m, seriesTrendForecast) + "[" + model.Duration(forecastReach(m)).String() + "])" +
		" and on(objective) (" + end + " > time())"
	over := q(m, SeriesValue) + " and on(kpi) (" + q(m, SeriesInfo) + " and on(objective) (" + end + " <= time()))"
	return "sum without (objective) (" + running + ") or " + over
}

// forecastReach is how far back kpi:forecast looks for the latest projection: one trend
// interval, as Prometheus spaces a group's evaluations, plus the 5m an instant query looks back.
func forecastReach(m *definition.Model) time.Duration {
	return trendInterval(m) + 5*time.Minute
}

// trendSamples is about how many trend samples a forecast window holds: hourly for a week. A
// linear regression needs no more, and Prometheus reads the window three times per KPI at every
// evaluation (the regression's value, its slope and the count of samples): at 5m a week was
// 6,000 samples per KPI, most of the forecast's cost.
const trendSamples = 168

// trendInterval samples kpi:value for the forecast: the rules interval, or coarser so that a
// forecast window holds at most about trendSamples samples.
func trendInterval(m *definition.Model) time.Duration {
	interval := time.Duration(m.Settings.Rules.Interval)
	if interval <= 0 {
		interval = time.Minute
	}
	coarse := (time.Duration(m.Settings.Rules.ForecastWindow) / trendSamples).Round(time.Second)
	return max(interval, coarse)
}

// minForecastSamples is the number of trend samples that cover half the forecast window, and
// never less than the two samples a trend needs.
func minForecastSamples(m *definition.Model) int64 {
	interval := int64(trendInterval(m))
	window := int64(m.Settings.Rules.ForecastWindow)
	return max(2, (window+2*interval-1)/(2*interval))
}

// worst is each KPI's worst status (a KPI with a breakdown is as bad as its worst part), with
// its objective.
func worst(m *definition.Model) string {
	return "max by (kpi, objective" + rulesBy(m) + ") (" + q(m, SeriesStatus) + " * on(kpi) group_left(objective) " + q(m, SeriesInfo) + ")"
}

// objectiveStatusExpr is the worst status of the objective's KPIs.
func objectiveStatusExpr(m *definition.Model) string {
	return "max by (objective" + rulesBy(m) + ") (" + worst(m) + ")"
}

// objectiveAttainmentExpr is the share of the objective's KPIs (with a status) that meet
// today's target, all of their breakdown included.
func objectiveAttainmentExpr(m *definition.Model) string {
	return "avg by (objective" + rulesBy(m) + ") (" + worst(m) + " == bool 0)"
}

// rulesBy lists the rules label keys for a by clause, after other labels.
func rulesBy(m *definition.Model) string {
	var b strings.Builder
	for _, k := range m.RulesLabelKeys() {
		b.WriteString(", " + k)
	}
	return b.String()
}
