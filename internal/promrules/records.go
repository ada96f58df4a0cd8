package promrules

import (
	"strconv"
	"time"

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
)

// recordings builds the KPI's recording rules in evaluation order: each reads only series
// recorded before it.
func recordings(m *definition.Model, o *definition.Objective, k *definition.KPI) ([]rulefmt.Rule, error) {
	value, err := valueExpr(m, k)
	if err != nil {
		return nil, err
	}
	rec := func(name, expr string) rulefmt.Rule {
		return rulefmt.Rule{Record: name, Expr: expr, Labels: ruleLabels(m, map[string]string{"kpi": k.Name})}
	}
	out := []rulefmt.Rule{rec(SeriesValue, value), rec(SeriesTarget, targetExpr(o, k.Target))}
	if k.Critical != nil {
		out = append(out, rec(SeriesCritical, "vector("+num(*k.Critical)+")"))
	}
	out = append(out,
		rec(SeriesAttainment, attainmentExpr(m, k)),
		rec(SeriesStatus, statusExpr(m, k)),
		rec(SeriesForecast, forecastExpr(m, o, k)))
	info := rec(SeriesInfo, "vector(1)")
	info.Labels = ruleLabels(m, infoLabels(k))
	return append(out, info), nil
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

// attainmentExpr turns value against target so that 1 or more means met: value / target when
// higher is better, target / value when lower is. A zero divisor leaves no attainment.
func attainmentExpr(m *definition.Model, k *definition.KPI) string {
	value, target := m.RuleSeries(SeriesValue, k.Name), m.RuleSeries(SeriesTarget, k.Name)
	if k.Target.Direction == definition.Lower {
		return target + " / on(kpi) group_right() (" + value + " != 0)"
	}
	return value + " / on(kpi) group_left() (" + target + " != 0)"
}

// statusExpr adds one for a missed target and one more for a crossed critical bound: 0 green,
// 1 amber, 2 red. Validation keeps critical beyond the target, so red implies amber.
func statusExpr(m *definition.Model, k *definition.KPI) string {
	op := " < bool on(kpi) group_left "
	if k.Target.Direction == definition.Lower {
		op = " > bool on(kpi) group_left "
	}
	value := m.RuleSeries(SeriesValue, k.Name)
	expr := "(" + value + op + m.RuleSeries(SeriesTarget, k.Name) + ")"
	if k.Critical != nil {
		expr += " + (" + value + op + m.RuleSeries(SeriesCritical, k.Name) + ")"
	}
	return expr
}

// forecastExpr projects the value linearly to the end of the period from the last
// forecast_window, once at least half of that window has data: a trend read from a few minutes
// of a new KPI would project wild values and false "at risk" alerts. Once the period is over,
// the forecast is the value itself.
func forecastExpr(m *definition.Model, o *definition.Objective, k *definition.KPI) string {
	end := unix(o.Period.EndTime().Unix())
	value := m.RuleSeries(SeriesValue, k.Name)
	window := m.Settings.Rules.ForecastWindow.String()
	running := "predict_linear(" + value + "[" + window + "], " + end + " - time())" +
		" and count_over_time(" + value + "[" + window + "]) >= " + strconv.FormatInt(minForecastSamples(m), 10) +
		" and on() (vector(time()) < " + end + ")"
	return running + " or " + value + " and on() (vector(time()) >= " + end + ")"
}

// minForecastSamples is the number of evaluations that cover half the forecast window, and
// never less than the two samples a trend needs.
func minForecastSamples(m *definition.Model) int64 {
	interval := int64(m.Settings.Rules.Interval)
	if interval <= 0 {
		interval = int64(time.Minute)
	}
	window := int64(m.Settings.Rules.ForecastWindow)
	return max(2, (window+2*interval-1)/(2*interval))
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
