package kpitest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/ruleeval"
)

// Tolerance is the relative difference under which an expected number counts as met.
const Tolerance = 1e-9

// Names of the recorded series of a KPI (docs/rules.md).
const (
	seriesValue      = "kpi:value"
	seriesTarget     = "kpi:target"
	seriesCritical   = "kpi:critical"
	seriesAttainment = "kpi:attainment:ratio"
	seriesStatus     = "kpi:status"
	seriesForecast   = "kpi:forecast"
)

// reading is one recorded number of a KPI at an instant, or its absence.
type reading struct {
	v  float64
	ok bool
	// many is why there is no one reading: the expectation's labels select several series.
	many error
}

func (r reading) String() string {
	switch {
	case r.many != nil:
		return "ambiguous"
	case !r.ok:
		return "absent"
	}
	return formatNumber(r.v)
}

// observed is what a KPI showed at an instant.
type observed struct {
	value, target, critical, attainment, forecast, status reading
	firing                                                []string
	pending                                               []string
}

// check compares one expectation with what the rules produced at its instant.
func check(c *Catalog, e *ruleeval.Evaluator, t *Test, x *Expectation) []Failure {
	what := "at " + x.AtText + " kpi " + x.KPI + labelText(x.Labels)
	o, err := observe(c, e, t, x)
	if err != nil {
		return []Failure{t.failure(x.Pos, what, err.Error())}
	}
	if err := o.ambiguity(x); err != nil {
		return []Failure{t.failure(x.Pos, what, err.Error())}
	}
	var out []Failure
	fail := func(p definition.Pos, msg string) { out = append(out, t.failure(p, what, msg)) }
	numbers := []struct {
		name string
		want *Number
		got  reading
	}{{"value", x.Value, o.value}, {"target", x.Target, o.target}, {"attainment", x.Attainment, o.attainment}, {"forecast", x.Forecast, o.forecast}}
	for _, n := range numbers {
		if n.want != nil && !(n.got.ok && Equal(n.got.v, n.want.Want)) {
			fail(n.want.Pos, fmt.Sprintf("%s is %s, want %s (%s)", n.name, n.got, formatNumber(n.want.Want), o.context(n.name)))
		}
	}
	if x.Status != nil {
		if got := o.statusWord(); got != x.Status.Want {
			fail(x.Status.Pos, fmt.Sprintf("status is %s, want %s (%s)", got, x.Status.Want, o.context("status")))
		}
	}
	if x.Alerts != nil && !slices.Equal(o.firing, x.Alerts.Want) {
		fail(x.Alerts.Pos, fmt.Sprintf("firing alerts are %s, want %s (%s)", alertList(o.firing), alertList(x.Alerts.Want), o.alertContext()))
	}
	slices.SortStableFunc(out, func(a, b Failure) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return out
}

// Equal reports whether got meets want within Tolerance, relative to the larger of the two.
func Equal(got, want float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= Tolerance*math.Max(math.Abs(got), math.Abs(want))
}

// observe reads the KPI's recorded series and alerts at the expectation's instant.
func observe(c *Catalog, e *ruleeval.Evaluator, t *Test, x *Expectation) (observed, error) {
	at := t.Start.Add(x.At)
	var o observed
	for _, s := range []struct {
		name string
		dst  *reading
	}{{seriesValue, &o.value}, {seriesTarget, &o.target}, {seriesCritical, &o.critical},
		{seriesAttainment, &o.attainment}, {seriesStatus, &o.status}, {seriesForecast, &o.forecast}} {
		r, err := read(c, e, s.name, x, at)
		if err != nil {
			return o, err
		}
		*s.dst = r
	}
	o.firing, o.pending = alertsOf(c, e, x, t.Start)
	return o, nil
}

// read queries one kpi:* series of the expectation's KPI at an instant and picks the series
// its labels select; more than one is an error naming them.
func read(c *Catalog, e *ruleeval.Evaluator, name string, x *Expectation, at time.Time) (reading, error) {
	v, err := e.Query(c.Model.RuleSeries(name, x.KPI), at)
	if err != nil {
		return reading{}, err
	}
	v = slices.DeleteFunc(v, func(s promql.Sample) bool { return !selects(x.Labels, s.Metric) })
	switch len(v) {
	case 0:
		return reading{}, nil
	case 1:
		return reading{v: v[0].F, ok: true}, nil
	}
	k := c.Model.KPI(x.KPI)
	var shown []string
	for _, s := range v {
		shown = append(shown, breakdownText(k, s.Metric))
	}
	slices.Sort(shown)
	return reading{many: fmt.Errorf("%s has %d series (%s); pick one with labels: on the expectation", name, len(v), strings.Join(shown, ", "))}, nil
}

// ambiguity is the error of the first series an expected field reads that the expectation's
// labels leave ambiguous; series read only for the context of messages may be ambiguous.
func (o observed) ambiguity(x *Expectation) error {
	for _, f := range []struct {
		expected bool
		r        reading
	}{{x.Value != nil, o.value}, {x.Target != nil, o.target}, {x.Attainment != nil, o.attainment},
		{x.Forecast != nil, o.forecast}, {x.Status != nil, o.status}} {
		if f.expected && f.r.many != nil {
			return f.r.many
		}
	}
	return nil
}

// selects reports whether a series or alert fits the expectation's labels: each is either
// equal on it or not on it at all (a KPI's target has no breakdown labels).
func selects(want map[string]string, l labels.Labels) bool {
	for k, v := range want {
		if got := l.Get(k); got != "" && got != v {
			return false
		}
	}
	return true
}

// alertsOf lists the names of the KPI's firing alerts, sorted, and its pending alerts with the
// time they became active.
func alertsOf(c *Catalog, e *ruleeval.Evaluator, x *Expectation, start time.Time) (firing, pending []string) {
	for _, a := range e.Alerts() {
		if a.Labels.Get("kpi") != x.KPI || !selects(x.Labels, a.Labels) || !selects(c.Model.Settings.Rules.Labels, a.Labels) {
			continue
		}
		if a.Firing {
			if !slices.Contains(firing, a.Name) {
				firing = append(firing, a.Name)
			}
			continue
		}
		since := a.Name + " pending since " + model.Duration(a.ActiveAt.Sub(start)).String()
		if !slices.Contains(pending, since) {
			pending = append(pending, since)
		}
	}
	slices.Sort(firing)
	slices.Sort(pending)
	return firing, pending
}

// statusWord names kpi:status: 0 green, 1 amber, 2 red, absent nodata.
func (o observed) statusWord() string {
	if !o.status.ok {
		return NoData
	}
	switch o.status.v {
	case 0:
		return Green
	case 1:
		return Amber
	case 2:
		return Red
	}
	return "status " + formatNumber(o.status.v)
}

// context is the KPI's value, today's target and critical bound, but for the one a message
// is already about.
func (o observed) context(about string) string {
	var parts []string
	if about != "value" {
		switch {
		case o.value.ok:
			parts = append(parts, "value "+formatNumber(o.value.v))
		case o.value.many == nil:
			parts = append(parts, "no value")
		}
	}
	if about != "target" && o.target.ok {
		parts = append(parts, "today's target "+formatNumber(o.target.v))
	}
	if o.critical.ok {
		parts = append(parts, "critical "+formatNumber(o.critical.v))
	}
	if about == "forecast" || about == "attainment" {
		parts = append(parts, "status "+o.statusWord())
	}
	return strings.Join(parts, ", ")
}

// alertContext is the context of an alerts failure: the numbers and the pending alerts.
func (o observed) alertContext() string {
	s := o.context("alerts") + ", status " + o.statusWord()
	if o.forecast.ok {
		s += ", forecast " + formatNumber(o.forecast.v)
	}
	if len(o.pending) > 0 {
		s += "; " + strings.Join(o.pending, ", ")
	}
	return s
}

func alertList(names []string) string { return "[" + strings.Join(names, ", ") + "]" }

// formatNumber writes a number in the fewest digits that read back exactly.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// labelText writes an expectation's labels as a selector's braces, sorted; "" without labels.
func labelText(l map[string]string) string {
	if len(l) == 0 {
		return ""
	}
	var parts []string
	for _, k := range sortedKeys(l) {
		parts = append(parts, k+"="+strconv.Quote(l[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// breakdownText writes a series' breakdown labels (the KPI's by labels) as braces.
func breakdownText(k *definition.KPI, l labels.Labels) string {
	m := map[string]string{}
	if k != nil {
		for _, b := range k.By {
			m[b] = l.Get(b)
		}
	}
	if len(m) == 0 {
		return l.String()
	}
	return labelText(m)
}
