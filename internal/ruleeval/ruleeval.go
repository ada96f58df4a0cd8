// Package ruleeval evaluates Prometheus rule groups in-process, the way a Prometheus server
// would, over input series it stores in a private in-memory TSDB: kpic test checks KPI
// definitions with it and kpic backfill records rules over history with it, without a server.
//
// Use it in this order: New with the rule groups, Add the input series, AdvanceTo a time (every
// group is evaluated at each of its instants up to it, oldest first), then read what the rules
// produced with Query, Alerts or Select. AdvanceTo may be called again with a later time.
package ruleeval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/rules"
	"github.com/prometheus/prometheus/tsdb"
)

// Options tune an Evaluator. The zero value of every field but Start is a sensible default.
type Options struct {
	// Start is the first evaluation instant: a group with interval i is evaluated at
	// Start, Start+i, Start+2i, ... (promtool's alignment, not a server's hashed offsets).
	Start time.Time
	// DefaultInterval is the interval of groups that set none, and the step of subqueries
	// without one. Default 1m, Prometheus' global evaluation_interval.
	DefaultInterval time.Duration
	// LookbackDelta is how far back an instant selector finds a sample. Default 5m, as in
	// Prometheus.
	LookbackDelta time.Duration
	// ExternalLabels and ExternalURL are what alert templates see as $externalLabels and
	// $externalURL.
	ExternalLabels labels.Labels
	ExternalURL    string
	// MaxSamples bounds the samples one query may load. Default 50 million, as in Prometheus.
	MaxSamples int
}

// Evaluator holds the input series, the rule groups and everything they recorded.
type Evaluator struct {
	opts   Options
	dir    string
	db     *tsdb.DB
	engine *promql.Engine
	groups []*group
	inputs []*input
	now    time.Time // the last evaluated instant; before Start until the first evaluation
}

// group is a rule group with its next evaluation instant.
type group struct {
	g    *rules.Group
	next time.Time
}

// New compiles the rule groups (their expressions parsed with the PromQL parser) over an empty
// storage. Close releases the storage.
func New(groups []rulefmt.RuleGroup, opts Options) (*Evaluator, error) {
	if opts.Start.IsZero() {
		return nil, errors.New("ruleeval: options need a start time")
	}
	opts = withDefaults(opts)
	e := &Evaluator{opts: opts, now: opts.Start.Add(-time.Millisecond)}
	if err := e.openStorage(); err != nil {
		return nil, err
	}
	e.engine = promql.NewEngine(promql.EngineOpts{
		Logger:                   slog.New(slog.DiscardHandler),
		MaxSamples:               opts.MaxSamples,
		Timeout:                  time.Minute,
		LookbackDelta:            opts.LookbackDelta,
		NoStepSubqueryIntervalFn: func(int64) int64 { return opts.DefaultInterval.Milliseconds() },
		EnableAtModifier:         true,
		EnableNegativeOffset:     true,
	})
	if err := e.loadGroups(groups); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func withDefaults(o Options) Options {
	if o.DefaultInterval <= 0 {
		o.DefaultInterval = time.Minute
	}
	if o.LookbackDelta <= 0 {
		o.LookbackDelta = 5 * time.Minute
	}
	if o.MaxSamples <= 0 {
		o.MaxSamples = 50_000_000
	}
	return o
}

// openStorage opens a TSDB without a write-ahead log or compactions in a temporary folder
// (the head keeps its chunks there); everything lives until Close.
func (e *Evaluator) openStorage() error {
	dir, err := os.MkdirTemp("", "kpic-ruleeval-")
	if err != nil {
		return fmt.Errorf("ruleeval: storage: %w", err)
	}
	o := tsdb.DefaultOptions()
	o.WALSegmentSize = -1
	o.RetentionDuration = 0
	o.MinBlockDuration = (24 * time.Hour).Milliseconds()
	o.MaxBlockDuration = o.MinBlockDuration
	o.OutOfOrderTimeWindow = 0
	db, err := tsdb.Open(dir, slog.New(slog.DiscardHandler), nil, o, tsdb.NewDBStats())
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("ruleeval: storage: %w", err)
	}
	db.DisableCompactions()
	e.dir, e.db = dir, db
	return nil
}

// loadGroups turns rulefmt groups into rule engine groups, in the order given.
func (e *Evaluator) loadGroups(groups []rulefmt.RuleGroup) error {
	p := parser.NewParser(parser.Options{})
	mo := &rules.ManagerOptions{
		QueryFunc:    rules.EngineQueryFunc(e.engine, e.db),
		AppendableV2: e.db,
		Queryable:    e.db,
		Context:      context.Background(),
		NotifyFunc:   func(context.Context, string, ...*rules.Alert) {},
		Logger:       slog.New(slog.DiscardHandler),
		Parser:       p,
	}
	for _, rg := range groups {
		rs, err := e.compileRules(p, rg)
		if err != nil {
			return err
		}
		interval := time.Duration(rg.Interval)
		if interval <= 0 {
			interval = e.opts.DefaultInterval
		}
		g := rules.NewGroup(rules.GroupOptions{Name: rg.Name, File: "ruleeval", Interval: interval,
			Limit: rg.Limit, Rules: rs, Opts: mo, QueryOffset: (*time.Duration)(rg.QueryOffset)})
		e.groups = append(e.groups, &group{g: g, next: e.opts.Start})
	}
	return nil
}

// compileRules parses one group's expressions into recording and alerting rules. Alerts start
// restored, so they go pending and firing (and write ALERTS) from the first evaluation.
func (e *Evaluator) compileRules(p parser.Parser, rg rulefmt.RuleGroup) ([]rules.Rule, error) {
	out := make([]rules.Rule, 0, len(rg.Rules))
	for i, r := range rg.Rules {
		expr, err := p.ParseExpr(r.Expr)
		if err != nil {
			return nil, fmt.Errorf("ruleeval: group %q rule %d (%s): %w", rg.Name, i+1, r.Record+r.Alert, err)
		}
		lbls := rules.FromMaps(rg.Labels, r.Labels)
		if r.Alert == "" {
			out = append(out, rules.NewRecordingRule(r.Record, expr, lbls))
			continue
		}
		out = append(out, rules.NewAlertingRule(r.Alert, expr, time.Duration(r.For), time.Duration(r.KeepFiringFor),
			lbls, labels.FromMap(r.Annotations), e.opts.ExternalLabels, e.opts.ExternalURL, true,
			slog.New(slog.DiscardHandler)))
	}
	return out, nil
}

// Close drops the storage and its temporary folder.
func (e *Evaluator) Close() error {
	var err error
	if e.db != nil {
		err = e.db.Close()
	}
	if e.dir != "" {
		err = errors.Join(err, os.RemoveAll(e.dir))
	}
	return err
}

// Now is the last instant any group was evaluated at (before Start until AdvanceTo runs).
func (e *Evaluator) Now() time.Time { return e.now }
