package backfill

import (
	"context"
	"fmt"

	"github.com/prometheus/prometheus/storage"
)

// commitEvery bounds the samples an appender buffers before they are committed to the head.
const commitEvery = 200_000

// gauges writes the exported gauges of one window [start, end): every series that holds a value
// is sampled at its metric's interval, each sample carrying the value of the latest row at or
// before it (rows of the window in `rows`, sorted by series then time).
type gauges struct {
	reg       *registry
	intervals []int64 // per export, ms
	from, to  int64
	samples   int64
}

func (g *gauges) window(ctx context.Context, db storage.Appendable, start, end int64, rows []row) error {
	w := &batch{db: db, ctx: ctx}
	i := 0
	for id, s := range g.reg.series {
		j := i
		for j < len(rows) && rows[j].series == uint32(id) {
			j++
		}
		if err := g.series(w, s, start, end, rows[i:j]); err != nil {
			w.rollback()
			return err
		}
		i = j
	}
	g.samples += w.total
	return w.commit()
}

// series samples one series over the window: before its first row there it keeps the value it
// held, from each row on the row's value. A second row at the same time is a duplicate.
func (g *gauges) series(w *batch, s *series, start, end int64, rows []row) error {
	step := g.intervals[s.export]
	t := ceilTo(max(start, g.from), step)
	last := min(end, g.to)
	for k := 0; t < last; t += step {
		for k < len(rows) && rows[k].t <= t {
			if !s.has || rows[k].t != s.since {
				s.has, s.since, s.v = true, rows[k].t, rows[k].v
			}
			k++
		}
		if !s.has {
			continue
		}
		if err := w.add(s, t, s.v); err != nil {
			return err
		}
	}
	for _, r := range rows { // rows after the last sample of the window still set the value
		if !s.has || r.t > s.since {
			s.has, s.since, s.v = true, r.t, r.v
		}
	}
	return nil
}

// ceilTo rounds t up to a multiple of step.
func ceilTo(t, step int64) int64 {
	f := floorTo(t, step)
	if f < t {
		return f + step
	}
	return f
}

// batch appends samples, committing every commitEvery of them.
type batch struct {
	ctx   context.Context
	db    storage.Appendable
	app   storage.Appender
	n     int
	total int64
}

func (b *batch) add(s *series, t int64, v float64) error {
	if b.app == nil {
		b.app = b.db.Appender(b.ctx)
	}
	ref, err := b.app.Append(s.ref, s.lset, t, v)
	if err != nil {
		return fmt.Errorf("append %s at %d: %w", s.lset, t, err)
	}
	s.ref = ref
	b.total++
	if b.n++; b.n >= commitEvery {
		return b.commit()
	}
	return nil
}

func (b *batch) commit() error {
	if b.app == nil {
		return nil
	}
	err := b.app.Commit()
	b.app, b.n = nil, 0
	return err
}

func (b *batch) rollback() {
	if b.app != nil {
		_ = b.app.Rollback()
		b.app = nil
	}
}
