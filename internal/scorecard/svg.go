package scorecard

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
)

// maxLines bounds the lines one chart draws for a KPI with a breakdown.
const maxLines = 8

// line is a series to draw: points in time order.
type line struct {
	points []point
	class  string // CSS class: value, target, critical, forecast, series-N
}

type point struct {
	t time.Time
	v float64
}

func pairs(ps []model.SamplePair) []point {
	out := make([]point, 0, len(ps))
	for _, p := range ps {
		v := float64(p.Value)
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, point{p.Timestamp.Time(), v})
		}
	}
	return out
}

// frame maps time and value to SVG coordinates.
type frame struct {
	from, to     time.Time
	lo, hi       float64
	x0, y0, w, h float64
}

func (f frame) x(t time.Time) float64 {
	span := f.to.Sub(f.from).Seconds()
	if span <= 0 {
		return f.x0 + f.w
	}
	return f.x0 + f.w*t.Sub(f.from).Seconds()/span
}

func (f frame) y(v float64) float64 {
	if f.hi == f.lo {
		return f.y0 + f.h/2
	}
	return f.y0 + f.h*(1-(v-f.lo)/(f.hi-f.lo))
}

// bounds returns the value range of the lines, padded by 5% so lines stay off the edges.
func bounds(lines []line) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, l := range lines {
		for _, p := range l.points {
			lo, hi = math.Min(lo, p.v), math.Max(hi, p.v)
		}
	}
	if math.IsInf(lo, 1) {
		return 0, 0, false
	}
	pad := (hi - lo) * 0.05
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.05, 1e-9)
	}
	return lo - pad, hi + pad, true
}

// path writes a polyline's points, or a dot for a single point.
func (f frame) path(b *strings.Builder, l line) {
	if len(l.points) == 1 {
		p := l.points[0]
		b.WriteString(`<circle class="` + l.class + `" cx="` + num(f.x(p.t)) + `" cy="` + num(f.y(p.v)) + `" r="2.5"/>`)
		return
	}
	b.WriteString(`<polyline class="` + l.class + `" points="`)
	var scratch [24]byte
	for i, p := range l.points {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(strconv.AppendFloat(scratch[:0], f.x(p.t), 'f', 1, 64))
		b.WriteByte(',')
		b.Write(strconv.AppendFloat(scratch[:0], f.y(p.v), 'f', 1, 64))
	}
	b.WriteString(`"/>`)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// sparkline draws a KPI's last 30 days: its value (each breakdown, up to maxLines) and its
// target, in a small SVG with a text alternative.
func sparkline(values []line, target line, from, to time.Time, label string) template.HTML {
	if len(values) > maxLines {
		values = values[:maxLines]
	}
	lo, hi, ok := bounds(values)
	if !ok {
		return template.HTML(`<span class="nohistory">no history</span>`)
	}
	if near(target, lo, hi) {
		lo, hi, _ = bounds(append(append([]line{}, values...), target))
	} else {
		target.points = nil
	}
	f := frame{from: from, to: to, lo: lo, hi: hi, x0: 1, y0: 2, w: 118, h: 24}
	var b strings.Builder
	b.WriteString(`<svg class="spark" viewBox="0 0 120 28" width="120" height="28" role="img" aria-label="` + html.EscapeString(label) + `">`)
	if len(target.points) > 0 {
		f.path(&b, target)
	}
	for _, l := range values {
		f.path(&b, l)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// near tells whether a target line lies close enough to the values' range to share the axis:
// a target far away would flatten the values into a straight line.
func near(l line, lo, hi float64) bool {
	span := math.Max(hi-lo, math.Abs(hi)*0.1)
	for _, p := range l.points {
		if p.v < lo-3*span || p.v > hi+3*span {
			return false
		}
	}
	return true
}

// target samples a KPI's target line between from and to at its corners: a ramp is a straight
// line across the period, held flat before and after.
func targetLine(tf targetFunc, from, to time.Time, corners ...time.Time) line {
	ts := []time.Time{from}
	for _, c := range corners {
		if c.After(from) && c.Before(to) {
			ts = append(ts, c)
		}
	}
	ts = append(ts, to)
	l := line{class: "target"}
	for _, t := range ts {
		l.points = append(l.points, point{t, tf(t)})
	}
	return l
}

// targetFunc is a KPI's target at an instant.
type targetFunc func(time.Time) float64
