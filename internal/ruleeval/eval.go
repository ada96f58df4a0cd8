package ruleeval

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AdvanceTo evaluates every group at each of its instants after the last evaluation and up to
// and including t, oldest instant first; groups due at the same instant run in the order New
// got them, and each group's rules in their order, as Prometheus does. Input samples are stored
// up to each instant before it is evaluated, and up to t at the end. Rule evaluation errors at
// an instant (a query that fails, samples that cannot be stored) are returned, joined, after
// that instant; evaluation stops there.
func (e *Evaluator) AdvanceTo(t time.Time) error {
	for {
		at, ok := e.nextInstant(t)
		if !ok {
			break
		}
		if err := e.storeInputs(at); err != nil {
			return err
		}
		if err := e.evalAt(at); err != nil {
			return err
		}
		e.now = at
	}
	return e.storeInputs(t)
}

// nextInstant is the earliest instant some group is due at, if it is not after t.
func (e *Evaluator) nextInstant(t time.Time) (time.Time, bool) {
	var at time.Time
	for _, g := range e.groups {
		if at.IsZero() || g.next.Before(at) {
			at = g.next
		}
	}
	return at, !at.IsZero() && !at.After(t)
}

// evalAt evaluates the groups due at instant at and schedules their next evaluation.
func (e *Evaluator) evalAt(at time.Time) error {
	var errs []error
	for _, g := range e.groups {
		if !g.next.Equal(at) {
			continue
		}
		g.g.Eval(context.Background(), at)
		for _, r := range g.g.Rules() {
			if err := r.LastError(); err != nil {
				errs = append(errs, fmt.Errorf("group %q rule %s at %s: %w", g.g.Name(), r.Name(), at.UTC().Format(time.RFC3339), err))
			}
		}
		g.next = at.Add(g.g.Interval())
	}
	if len(errs) > 0 {
		return fmt.Errorf("ruleeval: %w", errors.Join(errs...))
	}
	return nil
}
