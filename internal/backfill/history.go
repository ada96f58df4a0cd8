package backfill

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// timeColumn is the column of a history query that says when its row's value starts to hold.
const timeColumn = "time"

// QueryStats counts what one history query returned and what was dropped, the way kpic serve
// counts its queries' rows.
type QueryStats struct {
	Name       string
	Rows       int
	Series     int
	Null       int // NULL values
	NonNumeric int
	BadTime    int // a time that is NULL or neither a date, a timestamp nor Unix seconds
	Duplicate  int // a second row of one series at the same time
	OverLimit  int // rows of series beyond the series limit
	Outside    int // rows at or after --to
	Duration   time.Duration
}

// reader runs the history queries and files their rows in the spool.
type reader struct {
	m       *definition.Model
	exports []definition.Export
	reg     *registry
	spool   *spool
	from    int64
	to      int64
	extra   labels.Labels
}

// readAll runs every history query once, one after the other.
func (r *reader) readAll(ctx context.Context, srcs map[string]*source.Source, progress func(QueryStats)) ([]QueryStats, error) {
	var all []QueryStats
	for i, e := range r.exports {
		src := srcs[e.Source]
		if src == nil {
			return all, fmt.Errorf("history of %s: source %q is not open", e.Name, e.Source)
		}
		st, err := r.read(ctx, src, i)
		if err != nil {
			return all, fmt.Errorf("history of %s (%s): %w", e.Name, e.Pos, err)
		}
		all = append(all, st)
		if progress != nil {
			progress(st)
		}
	}
	return all, r.spool.flush()
}

// read runs the history query of export i.
func (r *reader) read(ctx context.Context, src *source.Source, i int) (QueryStats, error) {
	e := r.exports[i]
	q := source.Query{Name: e.Name, SQL: e.History.Query, Labels: append([]string{timeColumn}, e.Labels...),
		Timeout: time.Duration(e.History.Timeout)}
	st := QueryStats{Name: e.Name}
	start := time.Now()
	v := visitor{r: r, export: i, limit: e.SeriesLimit, st: &st}
	ss, err := src.Run(ctx, q, v.visit)
	st.Rows, st.Null, st.NonNumeric, st.Duration = ss.Rows, ss.Null, ss.NonNumeric, time.Since(start)
	if err == nil {
		err = v.err
	}
	return st, err
}

// visitor files the rows of one query.
type visitor struct {
	r      *reader
	export int
	limit  int
	series int
	st     *QueryStats
	err    error
}

func (v *visitor) visit(cols [][]byte, value float64) {
	if v.err != nil {
		return
	}
	if cols[0] == nil {
		v.st.BadTime++
		return
	}
	t, err := parseTime(cols[0])
	if err != nil {
		v.st.BadTime++
		return
	}
	if t >= v.r.to {
		v.st.Outside++
		return
	}
	id, ok := v.r.reg.lookup(v.export, cols[1:])
	if !ok {
		if v.series >= v.limit {
			v.st.OverLimit++
			return
		}
		id = v.r.reg.add(v.export, v.r.labelsOf(v.export, cols[1:]))
		v.series++
		v.st.Series++
	}
	if t < v.r.from {
		v.before(id, t, value)
		return
	}
	v.err = v.r.spool.add(row{series: id, t: t, v: value})
}

// before keeps, of the rows older than --from, the latest of each series: its value still
// holds at --from.
func (v *visitor) before(id uint32, t int64, value float64) {
	s := v.r.reg.series[id]
	switch {
	case !s.has || t > s.since:
		s.has, s.since, s.v = true, t, value
	case t == s.since:
		v.st.Duplicate++
	}
}

// labelsOf builds the labels of a new series of export i: the gauge name, the extra labels
// and the label columns.
func (r *reader) labelsOf(i int, values [][]byte) labels.Labels {
	e := r.exports[i]
	b := labels.NewScratchBuilder(len(values) + r.extra.Len() + 1)
	b.Add(model.MetricNameLabel, r.m.GaugeName(e.Name))
	r.extra.Range(func(l labels.Label) {
		if !slices.Contains(e.Labels, l.Name) {
			b.Add(l.Name, l.Value)
		}
	})
	for j, name := range e.Labels {
		if len(values[j]) > 0 { // Prometheus has no empty labels: an empty value is no label
			b.Add(name, string(values[j]))
		}
	}
	b.Sort()
	return b.Labels()
}
