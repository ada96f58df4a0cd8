package backfill

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb"
)

// stale is the staleness marker Prometheus writes when a series stops.
var stale = math.Float64frombits(value.StaleNaN)

// recording is one recording rule and what it recorded at its last instant, for staleness.
type recording struct {
	group  string
	name   string
	expr   string
	labels map[string]string // group labels, then the rule's own (which win)
	step   int64             // the group's interval, ms
	offset int64             // the group's query_offset, ms
	last   map[uint64]labels.Labels
}

// recordings lists the recording rules of the groups in evaluation order; alerting rules are
// left out (their ALERTS series are not history anyone reads). A positive every replaces the
// groups' intervals.
func recordings(groups []rulefmt.RuleGroup, interval model.Duration, every time.Duration) []*recording {
	var out []*recording
	for _, g := range groups {
		step := time.Duration(g.Interval)
		if step <= 0 {
			step = time.Duration(interval)
		}
		step = max(step, every) // coarser never finer: the hourly trend stays hourly
		var offset time.Duration
		if g.QueryOffset != nil {
			offset = time.Duration(*g.QueryOffset)
		}
		for _, r := range g.Rules {
			if r.Record == "" {
				continue
			}
			ls := map[string]string{}
			for k, v := range g.Labels {
				ls[k] = v
			}
			for k, v := range r.Labels {
				ls[k] = v
			}
			out = append(out, &recording{group: g.Name, name: r.Record, expr: r.Expr, labels: ls,
				step: step.Milliseconds(), offset: offset.Milliseconds()})
		}
	}
	return out
}

// evaluator records the rules over the store window by window, the way a Prometheus server
// evaluating them at each group's interval would have: every rule sees what the rules before it
// recorded at the same instant and everything recorded earlier. A range query over the window
// gives the same values as an instant query at each of its steps, at a fraction of the cost.
type evaluator struct {
	engine  *promql.Engine
	db      *tsdb.DB
	rules   []*recording
	from    int64
	to      int64
	samples int64
}

func newEngine() *promql.Engine {
	return promql.NewEngine(promql.EngineOpts{
		MaxSamples:    100_000_000,
		Timeout:       time.Hour,
		LookbackDelta: 5 * time.Minute,
		// The defaults of Prometheus 2.42 and 3.x, so rules mean what they mean there.
		EnableAtModifier:     true,
		EnableNegativeOffset: true,
	})
}

// window records every rule at each of its instants in [start, end).
func (e *evaluator) window(ctx context.Context, start, end int64) error {
	for _, r := range e.rules {
		first := ceilTo(max(start, e.from), r.step)
		last := min(end, e.to) - 1
		if last < first {
			continue
		}
		last = floorTo(last, r.step)
		if err := e.rule(ctx, r, first, last); err != nil {
			return fmt.Errorf("group %q rule %s: %w", r.group, r.name, err)
		}
	}
	return nil
}

// rule records r at every step from first to last (inclusive) and commits, so the next rule
// reads it.
func (e *evaluator) rule(ctx context.Context, r *recording, first, last int64) error {
	step := time.Duration(r.step) * time.Millisecond
	q, err := e.engine.NewRangeQuery(ctx, e.db, nil, r.expr,
		time.UnixMilli(first-r.offset), time.UnixMilli(last-r.offset), step)
	if err != nil {
		return err
	}
	defer q.Close()
	res := q.Exec(ctx)
	if res.Err != nil {
		return res.Err
	}
	matrix, err := asMatrix(res.Value)
	if err != nil {
		return err
	}
	app := e.db.Appender(ctx)
	n, err := r.record(app, matrix, first, last)
	if err != nil {
		return errors.Join(err, app.Rollback())
	}
	e.samples += n
	return app.Commit()
}

// asMatrix turns a range query's result into a matrix (a scalar expression gives one series
// without labels, as a recording rule stores it).
func asMatrix(v any) (promql.Matrix, error) {
	if x, ok := v.(promql.Matrix); ok {
		return x, nil
	}
	return nil, fmt.Errorf("unexpected result type %T", v)
}

// record stores the matrix under the rule's name and labels, and marks stale the series that
// stop, at the first instant they are missing, as the rule manager does.
func (r *recording) record(app storage.Appender, m promql.Matrix, first, last int64) (int64, error) {
	var n int64
	seen := make(map[uint64]labels.Labels, len(m))
	lastSeen := map[uint64]bool{}
	for _, s := range m {
		lset := r.labelsOf(s.Metric)
		h := lset.Hash()
		if _, dup := seen[h]; dup {
			return n, fmt.Errorf("vector contains metrics with the same labelset after applying rule labels: %s", lset)
		}
		seen[h] = lset
		next := first
		if _, was := r.last[h]; !was && len(s.Floats) > 0 {
			next = s.Floats[0].T + r.offset
		}
		for _, p := range s.Floats {
			t := p.T + r.offset
			if t > next { // missing at next: stale there
				if _, err := app.Append(0, lset, next, stale); err != nil {
					return n, err
				}
			}
			if _, err := app.Append(0, lset, t, p.F); err != nil {
				return n, err
			}
			n++
			next = t + r.step
		}
		if next <= last {
			if _, err := app.Append(0, lset, next, stale); err != nil {
				return n, err
			}
		} else {
			lastSeen[h] = true
		}
	}
	for h, lset := range r.last { // recorded at the end of the last window, gone now
		if _, ok := seen[h]; !ok {
			if _, err := app.Append(0, lset, first, stale); err != nil {
				return n, err
			}
		}
	}
	r.last = make(map[uint64]labels.Labels, len(lastSeen))
	for h := range lastSeen {
		r.last[h] = seen[h]
	}
	return n, nil
}

// labelsOf is a result series' labels with the rule's name and labels, as Prometheus records it.
func (r *recording) labelsOf(metric labels.Labels) labels.Labels {
	b := labels.NewBuilder(metric)
	b.Set(model.MetricNameLabel, r.name)
	for k, v := range r.labels {
		b.Set(k, v) // an empty value removes the label, as in Prometheus
	}
	return b.Labels()
}
