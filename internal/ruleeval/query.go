package ruleeval

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/rules"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// Query runs an instant PromQL query at t over everything stored (input series and what the
// rules recorded up to Now). A scalar result comes back as one sample without labels.
func (e *Evaluator) Query(expr string, t time.Time) (promql.Vector, error) {
	ctx := context.Background()
	q, err := e.engine.NewInstantQuery(ctx, e.db, nil, expr, t)
	if err != nil {
		return nil, fmt.Errorf("ruleeval: query %q: %w", expr, err)
	}
	defer q.Close()
	res := q.Exec(ctx)
	if res.Err != nil {
		return nil, fmt.Errorf("ruleeval: query %q: %w", expr, res.Err)
	}
	switch v := res.Value.(type) {
	case promql.Vector:
		return v, nil
	case promql.Scalar:
		return promql.Vector{{T: v.T, F: v.V, Metric: labels.EmptyLabels()}}, nil
	}
	return nil, fmt.Errorf("ruleeval: query %q gives a %s, not an instant vector", expr, res.Value.Type())
}

// Alert is an alert that is pending or firing after the last evaluation.
type Alert struct {
	// Name is the alerting rule's name (the alertname label).
	Name string
	// Labels are the alert's labels, alertname included.
	Labels      labels.Labels
	Annotations labels.Labels
	// Firing is true once the alert's condition has held for the rule's `for`.
	Firing bool
	// Value is the alert expression's value at the last evaluation.
	Value float64
	// ActiveAt is when the condition started to hold.
	ActiveAt time.Time
}

// Alerts lists the pending and firing alerts of every alerting rule as of the last
// evaluation, in group and rule order.
func (e *Evaluator) Alerts() []Alert {
	var out []Alert
	for _, g := range e.groups {
		for _, r := range g.g.AlertingRules() {
			for _, a := range r.ActiveAlerts() {
				out = append(out, Alert{Name: r.Name(), Labels: a.Labels, Annotations: a.Annotations,
					Firing: a.State == rules.StateFiring, Value: a.Value, ActiveAt: a.ActiveAt})
			}
		}
	}
	return out
}

// Select returns every stored series matching all matchers with its samples from mint to maxt
// inclusive: the input series and the recorded ones (kpic backfill writes these into blocks).
// Staleness markers are kept; IsStale tells them.
func (e *Evaluator) Select(mint, maxt time.Time, matchers ...*labels.Matcher) ([]Series, error) {
	q, err := e.db.Querier(mint.UnixMilli(), maxt.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("ruleeval: select: %w", err)
	}
	defer q.Close()
	if len(matchers) == 0 {
		matchers = []*labels.Matcher{labels.MustNewMatcher(labels.MatchRegexp, model.MetricNameLabel, ".+")}
	}
	set := q.Select(context.Background(), true, nil, matchers...)
	var out []Series
	for set.Next() {
		s, err := readSeries(set.At())
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := set.Err(); err != nil {
		return nil, fmt.Errorf("ruleeval: select: %w", err)
	}
	return out, nil
}

// readSeries copies one stored series' float samples.
func readSeries(s storage.Series) (Series, error) {
	out := Series{Labels: s.Labels()}
	it := s.Iterator(nil)
	for vt := it.Next(); vt != chunkenc.ValNone; vt = it.Next() {
		if vt != chunkenc.ValFloat {
			continue
		}
		t, f := it.At()
		out.Points = append(out.Points, promql.FPoint{T: t, F: f})
	}
	if err := it.Err(); err != nil {
		return Series{}, fmt.Errorf("ruleeval: select %s: %w", out.Labels, err)
	}
	return out, nil
}
