package kpitest

import (
	"cmp"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/ruleeval"
)

// Options select and tune a run.
type Options struct {
	// Run selects the tests whose name it matches; nil runs all.
	Run *regexp.Regexp
	// Parallel is how many tests run at once; default GOMAXPROCS.
	Parallel int
}

// Result is the outcome of one test that ran.
type Result struct {
	File *File
	Test *Test
	// Failures lists every expectation that did not hold, in the order of their instants,
	// or why the test could not run.
	Failures []Failure
	Duration time.Duration
}

// Failed reports whether any expectation of the test did not hold.
func (r Result) Failed() bool { return len(r.Failures) > 0 }

// Failure is one expectation that did not hold (or a test that could not run), at the
// position of the field it checks.
type Failure struct {
	Pos     definition.Pos
	Message string
}

// String formats the failure as file:line:col: message.
func (f Failure) String() string { return f.Pos.String() + ": " + f.Message }

// Run runs the selected tests of the files on the catalog's rules and returns their results in
// file and test order.
func Run(c *Catalog, files []*File, opts Options) []Result {
	var results []Result
	for _, f := range files {
		for _, t := range f.Tests {
			if opts.Run == nil || opts.Run.MatchString(t.Name) {
				results = append(results, Result{File: f, Test: t})
			}
		}
	}
	workers := cmp.Or(opts.Parallel, runtime.GOMAXPROCS(0))
	slots := make(chan struct{}, max(1, workers))
	var wg sync.WaitGroup
	for i := range results {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			began := time.Now()
			results[i].Failures = runTest(c, results[i].Test)
			results[i].Duration = time.Since(began)
		})
	}
	wg.Wait()
	return results
}

// runTest evaluates the rules the test needs over its input series, stopping at each
// expectation's instant (earliest first) to check it.
func runTest(c *Catalog, t *Test) (failures []Failure) {
	defer func() {
		if r := recover(); r != nil {
			failures = append(failures, t.failure(t.Pos, "", fmt.Sprintf("the rule engine failed: %v", r)))
		}
	}()
	e, err := ruleeval.New(evalOrder(c.prune(t.needs())), ruleeval.Options{Start: t.Start, DefaultInterval: c.interval()})
	if err != nil {
		return []Failure{t.failure(t.Pos, "", fmt.Sprintf("cannot load the rules: %v", err))}
	}
	defer e.Close()
	for _, in := range t.Inputs {
		if err := e.Add(ruleeval.Series{Labels: in.Labels, Points: in.Points}); err != nil {
			return []Failure{t.failure(in.Pos, "", err.Error())}
		}
	}
	for _, x := range t.byInstant() {
		if err := e.AdvanceTo(t.Start.Add(x.At)); err != nil {
			return append(failures, t.failure(x.AtPos, "at "+x.AtText, fmt.Sprintf("rule evaluation failed: %v", err)))
		}
		failures = append(failures, check(c, e, t, x)...)
	}
	return failures
}

// kpis are the KPIs the test expects something of.
func (t *Test) kpis() []string {
	var out []string
	for _, x := range t.Expect {
		if !slices.Contains(out, x.KPI) {
			out = append(out, x.KPI)
		}
	}
	return out
}

// byInstant is the expectations sorted by instant, in file order at equal instants.
func (t *Test) byInstant() []*Expectation {
	out := slices.Clone(t.Expect)
	slices.SortStableFunc(out, func(a, b *Expectation) int { return cmp.Compare(a.At, b.At) })
	return out
}

// failure prefixes a message with the test's name and what it was checking.
func (t *Test) failure(p definition.Pos, what, msg string) Failure {
	prefix := fmt.Sprintf("test %q: ", t.Name)
	if what != "" {
		prefix += what + ": "
	}
	return Failure{Pos: p, Message: prefix + msg}
}
