package scorecard

import (
	"html"
	"html/template"
	"math"
	"strings"
	"time"
)

// chart is the KPI page's graph: the value over a window against the target line, the critical
// bound and the forecast to the end of the period, with a labelled value axis and dates.
type chart struct {
	values   []line
	target   line
	critical *float64
	forecast line // from the last value to the forecast at the period's end
	from, to time.Time
	now      time.Time
	format   func(float64) string
	label    string
}

// size is one rendering of the chart: the page draws a wide one and a narrow one for phones,
// and CSS shows the one that fits, so axis labels stay readable at either width.
type size struct {
	class       string
	w, h        float64
	padL, ticks int
}

var (
	wide   = size{class: "chart wide", w: 720, h: 300, padL: 78, ticks: 4}
	narrow = size{class: "chart narrow", w: 360, h: 240, padL: 62, ticks: 3}
)

const padR, padT, padB = 12.0, 12.0, 28.0

// svg renders the chart in both sizes; every text in it is escaped.
func (c chart) svg() template.HTML {
	all := append(append([]line{}, c.values...), c.target, c.forecast)
	if c.critical != nil {
		all = append(all, line{points: []point{{c.from, *c.critical}}})
	}
	lo, hi, ok := bounds(all)
	if !ok {
		return template.HTML(`<p class="nohistory">No values in this window.</p>`)
	}
	return c.render(wide, lo, hi) + c.render(narrow, lo, hi)
}

func (c chart) render(sz size, lo, hi float64) template.HTML {
	ticks := niceTicks(lo, hi, sz.ticks)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	padL := float64(sz.padL)
	f := frame{from: c.from, to: c.to, lo: lo, hi: hi, x0: padL, y0: padT, w: sz.w - padL - padR, h: sz.h - padT - padB}
	var b strings.Builder
	b.WriteString(`<svg class="` + sz.class + `" viewBox="0 0 ` + num(sz.w) + ` ` + num(sz.h) + `" role="img" aria-label="` + html.EscapeString(c.label) + `">`)
	c.grid(&b, f, ticks, sz)
	if c.critical != nil {
		f.path(&b, line{class: "critical", points: []point{{c.from, *c.critical}, {c.to, *c.critical}}})
	}
	f.path(&b, c.target)
	if len(c.forecast.points) > 0 {
		f.path(&b, c.forecast)
	}
	for _, l := range c.values {
		f.path(&b, l)
	}
	if c.now.After(c.from) && c.now.Before(c.to) {
		x := num(f.x(c.now))
		b.WriteString(`<line class="now" x1="` + x + `" x2="` + x + `" y1="` + num(padT) + `" y2="` + num(sz.h-padB) + `"/>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// grid draws value lines at round numbers with labels in the KPI's unit, and the window's dates.
func (c chart) grid(b *strings.Builder, f frame, ticks []float64, sz size) {
	padL := float64(sz.padL)
	for _, v := range ticks {
		y := num(f.y(v))
		b.WriteString(`<line class="grid" x1="` + num(padL) + `" x2="` + num(sz.w-padR) + `" y1="` + y + `" y2="` + y + `"/>`)
		b.WriteString(`<text class="axis" x="` + num(padL-6) + `" y="` + y + `" text-anchor="end" dominant-baseline="middle">` + html.EscapeString(c.format(v)) + `</text>`)
	}
	base := num(sz.h - 8)
	b.WriteString(`<text class="axis" x="` + num(padL) + `" y="` + base + `">` + c.from.UTC().Format("2 Jan 2006") + `</text>`)
	b.WriteString(`<text class="axis" x="` + num(sz.w-padR) + `" y="` + base + `" text-anchor="end">` + lastDay(c.to) + `</text>`)
}

// niceTicks returns about n+1 round values (steps of 1, 2, 2.5 or 5 times a power of ten), the
// first at or below lo and the last at or above hi.
func niceTicks(lo, hi float64, n int) []float64 {
	span := hi - lo
	if span <= 0 {
		return []float64{lo}
	}
	raw := span / float64(n)
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step := pow * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*pow >= raw {
			step = m * pow
			break
		}
	}
	var out []float64
	last := math.Ceil(hi/step-1e-9) * step
	for v := math.Floor(lo/step+1e-9) * step; v <= last+step*1e-9; v += step {
		out = append(out, roundTo(v, step))
	}
	return out
}

// roundTo drops the float noise of repeated addition: 0.30000000000000004 becomes 0.3.
func roundTo(v, step float64) float64 {
	digits := math.Max(0, -math.Floor(math.Log10(step))+2)
	p := math.Pow(10, digits)
	return math.Round(v*p) / p
}

// lastDay names the day a window ends in: a period ends at midnight after its last day, which
// is the day to show.
func lastDay(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		t = t.Add(-time.Second)
	}
	return t.Format("2 Jan 2006")
}
