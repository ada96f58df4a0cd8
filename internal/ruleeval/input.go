package ruleeval

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/timestamp"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/storage"
)

// Series is one series and its samples (timestamps in milliseconds, as Prometheus keeps them).
// A value that is value.StaleNaN is a staleness marker: the series ends there, as when a
// scrape target stops exposing it.
type Series struct {
	Labels labels.Labels
	Points []promql.FPoint
}

// input is an input series and how much of it is stored yet.
type input struct {
	labels labels.Labels
	points []promql.FPoint
	next   int
	ref    storage.SeriesRef
}

// Add queues input series. Their samples are stored as evaluation reaches their timestamps,
// so rules see them as a server sees scraped samples; a sample at or before the last
// evaluated instant is refused.
func (e *Evaluator) Add(series ...Series) error {
	for _, s := range series {
		points := slices.Clone(s.Points)
		slices.SortStableFunc(points, func(a, b promql.FPoint) int { return compareInt(a.T, b.T) })
		if len(points) > 0 && points[0].T <= timestamp.FromTime(e.now) && !e.now.Before(e.opts.Start) {
			return fmt.Errorf("ruleeval: series %s: a sample at %s is not after the last evaluation at %s",
				s.Labels, timestamp.Time(points[0].T).UTC().Format(time.RFC3339), e.now.UTC().Format(time.RFC3339))
		}
		e.inputs = append(e.inputs, &input{labels: s.Labels, points: points})
	}
	return nil
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// storeInputs appends every queued input sample at or before t.
func (e *Evaluator) storeInputs(t time.Time) error {
	ms := timestamp.FromTime(t)
	app := e.db.Appender(context.Background())
	for _, in := range e.inputs {
		for ; in.next < len(in.points) && in.points[in.next].T <= ms; in.next++ {
			p := in.points[in.next]
			ref, err := app.Append(in.ref, in.labels, p.T, p.F)
			if err != nil {
				_ = app.Rollback()
				return fmt.Errorf("ruleeval: input series %s at %s: %w", in.labels, timestamp.Time(p.T).UTC().Format(time.RFC3339), err)
			}
			in.ref = ref
		}
	}
	if err := app.Commit(); err != nil {
		return fmt.Errorf("ruleeval: input series: %w", err)
	}
	return nil
}

// ParseValues expands values written in promtool's notation for input series ("1+2x3 _ 5
// stale": 1 3 5 7, a missing sample, 5, a staleness marker) into samples start, start+step, ...
// It uses the PromQL parser's own reading of the notation. Histogram samples are refused.
func ParseValues(values string, start time.Time, step time.Duration) ([]promql.FPoint, error) {
	return parseValues(parser.NewParser(parser.Options{}), values, start, step)
}

// ValuesPrefix is what ParseValues puts before values to parse them as a series description:
// a byte offset in a parse error minus its length is an offset in values.
const ValuesPrefix = "{} "

func parseValues(p parser.Parser, values string, start time.Time, step time.Duration) ([]promql.FPoint, error) {
	if step <= 0 {
		return nil, fmt.Errorf("step must be positive, got %s", step)
	}
	_, seq, err := p.ParseSeriesDesc(ValuesPrefix + values)
	if err != nil {
		return nil, err
	}
	out := make([]promql.FPoint, 0, len(seq))
	for i, v := range seq {
		if v.Histogram != nil {
			return nil, fmt.Errorf("value %d is a histogram; only float samples are supported", i+1)
		}
		if v.Omitted {
			continue
		}
		out = append(out, promql.FPoint{T: timestamp.FromTime(start.Add(time.Duration(i) * step)), F: v.Value})
	}
	return out, nil
}

// IsStale reports whether f is a staleness marker rather than a value.
func IsStale(f float64) bool { return value.IsStaleNaN(f) }
