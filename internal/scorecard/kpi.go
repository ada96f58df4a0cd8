package scorecard

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"sync"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/kpic/kpic/internal/definition"
)

// chartPoints is about how many points a KPI page's chart reads per line.
const chartPoints = 240

// kpiPage is the data of the KPI template.
type kpiPage struct {
	page
	KPI        kpiView
	Objective  objectiveView
	Kind       string
	Chart      chartData
	Ranges     []option
	Supporting []supportView
	Alerts     []alertView
	AlertsErr  string
	TeamLink   string
}

type chartData struct {
	SVG      template.HTML
	From     string
	To       string
	Forecast bool
}

// supportView is a supporting metric with its current value and history in the chart window.
type supportView struct {
	Name, Help, Value string
	Spark             template.HTML
}

// alertView is one of the KPI's alerts, firing or pending.
type alertView struct {
	Name, State, Severity, Summary, Description string
	Since                                       string
}

// windows are the KPI page's chart ranges; "period" is the objective's period.
var windows = []struct {
	value, text string
	d           time.Duration
}{
	{"period", "Whole period", 0},
	{"30d", "30 days", 30 * 24 * time.Hour},
	{"7d", "7 days", 7 * 24 * time.Hour},
	{"1d", "24 hours", 24 * time.Hour},
}

func (s *Scorecard) serveKPI(w http.ResponseWriter, r *http.Request) {
	m := s.model.Load()
	k := m.KPI(r.PathValue("name"))
	if k == nil {
		s.serveNotFound(w, r)
		return
	}
	now := s.opts.Now()
	win := r.URL.Query().Get("range")
	from, to := window(m, k, win, now)
	rg := aligned(from, minTime(to, now))
	sel := selector{labels: m.Settings.Rules.Labels}
	d := s.prom.fetch(r.Context(), fetchRequest{sel: sel, at: now, kpi: k.Name, history: rg, by: byLabels(m)})
	v := newKPIView(m, k, d.kpis[k.Name], now)
	p := kpiPage{page: s.newPage(v.Title, "../", r, m, d), KPI: v, Kind: kindText(k), TeamLink: teamLink(m, k.Owner)}
	if o := m.Objective(k.Objective); o != nil {
		p.Objective = newObjectiveView(m, o, d, []kpiView{v}, now)
	}
	p.Ranges = rangeOptions(win)
	if d.err == nil {
		p.Chart = kpiChart(m, v, from, to, now)
		p.Supporting = s.supporting(r.Context(), m, k, rg, now)
		p.Alerts, p.AlertsErr = s.alerts(r.Context(), sel, k.Name)
	}
	s.render(w, r, "kpi", code(d), p)
}

// window is the chart's time range: the objective's period (widened to include the last 30
// days when the period starts later or ended), or the last 30 days, 7 days or 24 hours.
func window(m *definition.Model, k *definition.KPI, win string, now time.Time) (time.Time, time.Time) {
	for _, w := range windows {
		if w.value == win && w.d > 0 {
			return now.Add(-w.d), now
		}
	}
	o := m.Objective(k.Objective)
	if o == nil {
		return now.Add(-30 * 24 * time.Hour), now
	}
	from, to := o.Period.StartTime(), o.Period.EndTime()
	if earliest := now.Add(-30 * 24 * time.Hour); from.After(earliest) {
		from = earliest
	}
	if to.Before(now) {
		to = now
	}
	return from, to
}

// aligned is the range query from..to with about chartPoints steps, ending exactly at to so
// that the last point is the current value (a range query's points start at its start).
func aligned(from, to time.Time) v1.Range {
	step := max((to.Sub(from) / chartPoints).Truncate(time.Second), 15*time.Second)
	n := to.Sub(from) / step
	return v1.Range{Start: to.Add(-n * step), End: to, Step: step}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func rangeOptions(selected string) []option {
	known := false
	for _, w := range windows[1:] {
		known = known || w.value == selected
	}
	var out []option
	for _, w := range windows {
		out = append(out, option{Value: w.value, Text: w.text, Selected: w.value == selected || (!known && w.value == "period")})
	}
	return out
}

// kpiChart draws the KPI's value, target, critical bound and forecast between from and to.
func kpiChart(m *definition.Model, v kpiView, from, to, now time.Time) chartData {
	c := chart{from: from, to: to, now: now, critical: nil, label: v.Title + " over time against its target",
		format: func(x float64) string { return formatValue(x, v.Unit, decimals(v.k)) }}
	for i, s := range v.d.sorted() {
		if ps := withNow(pairs(s.history), s.value, now); len(ps) > 0 {
			c.values = append(c.values, line{points: ps, class: seriesClass(i, len(v.k.By) > 0)})
		}
	}
	if len(c.values) > maxLines {
		c.values = c.values[:maxLines]
	}
	if v.k.Critical != nil {
		c.critical = &v.k.Critical.Value
	}
	tf, corners := targetOf(m, v.k)
	c.target = targetLine(tf, from, to, corners...)
	forecast := false
	if o := m.Objective(v.k.Objective); o != nil && v.d != nil {
		end := o.Period.EndTime()
		for _, s := range v.d.sorted() {
			if s.forecast != nil && s.value != nil && now.Before(end) && !end.After(to.Add(time.Second)) {
				c.forecast = line{class: "forecast", points: []point{{now, *s.value}, {end, *s.forecast}}}
				forecast = true
				break
			}
		}
	}
	return chartData{SVG: c.svg(), From: from.UTC().Format("2 Jan 2006"), To: lastDay(to), Forecast: forecast}
}

// kindText says in words how the KPI is computed.
func kindText(k *definition.KPI) string {
	switch k.Kind {
	case definition.KindQuery:
		return "SQL query on source " + k.Source
	case definition.KindMetric:
		return "the metric " + k.Metric
	case definition.KindRatio:
		return "ratio " + k.Ratio.Numerator + " / " + k.Ratio.Denominator
	case definition.KindGrowth:
		return "growth of " + k.Growth.Metric + " over " + k.Growth.Over.String()
	case definition.KindExpr:
		return "PromQL: " + k.Expr
	}
	return string(k.Kind)
}

// supporting reads each supporting metric's current sum and its history in the chart window.
func (s *Scorecard) supporting(ctx context.Context, m *definition.Model, k *definition.KPI, rg v1.Range, now time.Time) []supportView {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	out := make([]supportView, len(k.Supporting))
	var wg sync.WaitGroup
	for i, name := range k.Supporting {
		out[i] = supportView{Name: name, Help: help(m, name), Value: "no data"}
		expr, ok := m.SeriesExpr(name)
		if !ok {
			continue
		}
		wg.Go(func() { out[i] = s.support(ctx, out[i], "sum("+expr+")", unitOf(m, name), rg, now) })
	}
	wg.Wait()
	return out
}

func (s *Scorecard) support(ctx context.Context, v supportView, expr, unit string, rg v1.Range, now time.Time) supportView {
	vec, err := s.prom.instant(ctx, expr, now)
	if err == nil && len(vec) > 0 {
		v.Value = formatValue(float64(vec[0].Value), unit, -1)
	}
	mat, err := s.prom.series(ctx, expr, rg)
	if err == nil && len(mat) > 0 {
		v.Spark = sparkline([]line{{points: pairs(mat[0].Values), class: "value"}}, line{}, rg.Start, rg.End, v.Name+" in the chart's window")
	}
	return v
}

func help(m *definition.Model, name string) string {
	if x := m.Metric(name); x != nil {
		return x.Help
	}
	if k := m.KPI(name); k != nil {
		return orName(k.Title, k.Name)
	}
	return ""
}

func unitOf(m *definition.Model, name string) string {
	if x := m.Metric(name); x != nil {
		return x.Unit
	}
	if k := m.KPI(name); k != nil {
		return k.Unit
	}
	return ""
}

// alerts lists the KPI's active alerts from /api/v1/alerts (which has their annotations),
// keeping only this project's (its rules labels) and this KPI's.
func (s *Scorecard) alerts(ctx context.Context, sel selector, kpi string) ([]alertView, string) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	res, err := s.prom.api.Alerts(ctx)
	if err != nil {
		return nil, "Alerts could not be read: " + err.Error()
	}
	var out []alertView
	for _, a := range res.Alerts {
		if string(a.Labels["kpi"]) != kpi || !matches(sel, a.Labels) {
			continue
		}
		out = append(out, alertView{Name: string(a.Labels[model.AlertNameLabel]), State: string(a.State),
			Severity: string(a.Labels["severity"]), Summary: string(a.Annotations["summary"]),
			Description: string(a.Annotations["description"]), Since: a.ActiveAt.UTC().Format("2 Jan 2006 15:04 MST")})
	}
	slices.SortFunc(out, func(a, b alertView) int {
		if a.State != b.State {
			return compareState(a.State, b.State)
		}
		return cmpString(a.Name, b.Name)
	})
	return out, ""
}

func matches(sel selector, ls model.LabelSet) bool {
	for k, v := range sel.labels {
		if string(ls[model.LabelName(k)]) != v {
			return false
		}
	}
	return true
}

// compareState puts firing alerts before pending ones.
func compareState(a, b string) int {
	if a == "firing" {
		return -1
	}
	if b == "firing" {
		return 1
	}
	return cmpString(a, b)
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
