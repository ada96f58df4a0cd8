package scorecard

import (
	"html/template"
	"math"
	"time"

	"github.com/kpic/kpic/internal/definition"
)

// targetOf is the KPI's target at any instant, as kpi:target records it: a ramp moves in a
// straight line from `from` at the period's start to `to` at its end, held flat outside it.
func targetOf(m *definition.Model, k *definition.KPI) (targetFunc, []time.Time) {
	o := m.Objective(k.Objective)
	if !k.Target.IsRamp() || o == nil {
		v := k.Target.Final().Value
		return func(time.Time) float64 { return v }, nil
	}
	from, to := k.Target.From.Value, k.Target.To.Value
	start, end := o.Period.StartTime(), o.Period.EndTime()
	span := end.Sub(start).Seconds()
	return func(t time.Time) float64 {
		f := math.Min(math.Max(t.Sub(start).Seconds()/span, 0), 1)
		return from + (to-from)*f
	}, []time.Time{start, end}
}

// kpiSparkline draws the KPI's values between from and to against its target.
func kpiSparkline(m *definition.Model, k kpiView, from, to time.Time) template.HTML {
	var values []line
	for i, s := range k.d.sorted() {
		if ps := withNow(pairs(s.history), s.value, to); len(ps) > 0 {
			values = append(values, line{points: ps, class: seriesClass(i, len(k.k.By) > 0)})
		}
	}
	tf, corners := targetOf(m, k.k)
	label := k.Title + ", last 30 days"
	if k.Value != "" {
		label += ", now " + k.Value
	}
	return sparkline(values, targetLine(tf, from, to, corners...), from, to, label)
}

// seriesClass styles a KPI's value line, or the i-th line of a breakdown.
func seriesClass(i int, breakdown bool) string {
	if !breakdown {
		return "value"
	}
	return "value s" + itoa(i%maxLines)
}

// withNow ends a line at the current value, which the last step of a range query can miss.
func withNow(ps []point, value *float64, now time.Time) []point {
	if value == nil || math.IsNaN(*value) || math.IsInf(*value, 0) {
		return ps
	}
	if len(ps) > 0 && !ps[len(ps)-1].t.Before(now.Add(-time.Second)) {
		return ps
	}
	return append(ps, point{now, *value})
}
