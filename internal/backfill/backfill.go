// Package backfill gives KPIs born today their past: it runs the history queries of metrics
// and SQL-backed KPIs once, and writes Prometheus TSDB blocks holding the exported gauges and
// the generated recording rules evaluated over that history, as a live Prometheus would have
// recorded them.
package backfill

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/prometheus/model/labels"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/promrules"
	"github.com/kpic/kpic/internal/source"
)

// DefaultBlockDuration is the span of each written block: a day keeps a year to 365 blocks
// while the samples held in memory stay those of about two days.
const DefaultBlockDuration = 24 * time.Hour

// Options say what to backfill and where.
type Options struct {
	// From and To bound the backfilled range [From, To).
	From, To time.Time
	// Out is the folder the blocks are written to; it is created if needed.
	Out string
	// BlockDuration is the span of each block (default DefaultBlockDuration), at least 2h.
	BlockDuration time.Duration
	// RulesInterval, when set, evaluates every rule group of a shorter interval at this step
	// instead: far faster over long ranges, but not what a live Prometheus would have recorded
	// (range functions see fewer samples). Groups of a longer interval, such as the hourly
	// trend the forecast reads, keep theirs.
	RulesInterval time.Duration
	// Labels are added to every gauge series, as the scrape of kpic serve would add them.
	Labels map[string]string
	Env    source.Env
	// Progress, when set, is called after each history query and each window.
	Progress func(Progress)
	// Warn receives what was skipped or will stay empty.
	Warn func(string)
}

// Progress is how far a run is.
type Progress struct {
	Query   *QueryStats // the history query just read, or nil while writing windows
	Series  int
	Samples int64
	Blocks  int
	// Done and Total are the part of the range written so far and the whole range.
	Done, Total time.Duration
	Elapsed     time.Duration
}

// Remaining estimates the time left from the pace so far.
func (p Progress) Remaining() time.Duration {
	if p.Done <= 0 || p.Total <= p.Done {
		return 0
	}
	return time.Duration(float64(p.Elapsed) * float64(p.Total-p.Done) / float64(p.Done))
}

// Summary is what a completed run wrote.
type Summary struct {
	Queries      []QueryStats
	Series       int
	GaugeSamples int64
	RuleSamples  int64
	// Blocks are the folder names (ULIDs) of the blocks moved into Out.
	Blocks []string
}

// Run backfills m over [opts.From, opts.To). Cancelling ctx stops it and leaves Out as it was.
func Run(ctx context.Context, m *definition.Model, opts Options) (Summary, error) {
	r, err := newRun(m, opts)
	if err != nil {
		return Summary{}, err
	}
	defer r.cleanup()
	return r.run(ctx)
}

// run is one backfill in progress.
type run struct {
	m       *definition.Model
	opts    Options
	exports []definition.Export
	tmp     string
	start   time.Time
	sum     Summary
	closers []func()
}

func newRun(m *definition.Model, opts Options) (*run, error) {
	if !opts.From.Before(opts.To) {
		return nil, fmt.Errorf("backfill: --from (%s) must be before --to (%s)", opts.From.UTC().Format(time.RFC3339), opts.To.UTC().Format(time.RFC3339))
	}
	if opts.BlockDuration == 0 {
		opts.BlockDuration = DefaultBlockDuration
	}
	if opts.BlockDuration < 2*time.Hour || opts.BlockDuration%time.Hour != 0 {
		return nil, fmt.Errorf("backfill: block duration %s must be a whole number of hours, at least 2h", opts.BlockDuration)
	}
	if opts.RulesInterval < 0 || opts.RulesInterval > 0 && opts.RulesInterval < time.Second {
		return nil, fmt.Errorf("backfill: rules interval %s must be at least 1s", opts.RulesInterval)
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	r := &run{m: m, opts: opts, start: time.Now()}
	for _, e := range m.Exported() {
		if e.History != nil {
			r.exports = append(r.exports, e)
		}
	}
	if len(r.exports) == 0 {
		return nil, errors.New("backfill: no metric or KPI has a history query; add history: {query: ...} to the SQL-backed ones")
	}
	if len(r.exports) > 1<<24 {
		return nil, errors.New("backfill: too many history queries")
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, fmt.Errorf("backfill: %w", err)
	}
	tmp, err := os.MkdirTemp(opts.Out, ".kpic-backfill-")
	if err != nil {
		return nil, fmt.Errorf("backfill: %w", err)
	}
	r.tmp = tmp
	return r, nil
}

func (r *run) cleanup() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	_ = os.RemoveAll(r.tmp)
}

func (r *run) run(ctx context.Context) (Summary, error) {
	window := r.opts.BlockDuration.Milliseconds() / 2
	from, to := r.opts.From.UnixMilli(), r.opts.To.UnixMilli()
	sp, err := newSpool(filepath.Join(r.tmp, "rows"), window, 8<<20)
	if err != nil {
		return r.sum, err
	}
	rd := &reader{m: r.m, exports: r.exports, reg: newRegistry(), spool: sp, from: from, to: to, extra: r.gaugeLabels()}
	if err := r.readHistory(ctx, rd); err != nil {
		return r.sum, err
	}
	st, err := openStore(r.tmp, r.opts.BlockDuration, to)
	if err != nil {
		return r.sum, fmt.Errorf("backfill: %w", err)
	}
	r.closers = append(r.closers, st.close)
	ev, err := r.evaluator(st, from, to)
	if err != nil {
		return r.sum, err
	}
	g := &gauges{reg: rd.reg, intervals: r.intervals(), from: from, to: to}
	if err := r.windows(ctx, sp, st, g, ev, window); err != nil {
		return r.sum, err
	}
	r.sum.GaugeSamples, r.sum.RuleSamples = g.samples, ev.samples
	blocks, err := st.finish(r.opts.Out)
	r.sum.Blocks = blocks
	if err != nil {
		return r.sum, fmt.Errorf("backfill: %w", err)
	}
	return r.sum, nil
}

// readHistory opens the sources and runs every history query once.
func (r *run) readHistory(ctx context.Context, rd *reader) error {
	srcs := map[string]*source.Source{}
	defer func() {
		for _, s := range srcs {
			s.Close()
		}
	}()
	for _, e := range r.exports {
		if srcs[e.Source] != nil {
			continue
		}
		def := r.m.Source(e.Source)
		if def == nil {
			return fmt.Errorf("backfill: %s: unknown source %q", e.Name, e.Source)
		}
		s, err := source.Open(def, r.opts.Env)
		if err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
		srcs[e.Source] = s
	}
	stats, err := rd.readAll(ctx, srcs, func(q QueryStats) {
		r.sum.Series += q.Series
		r.progress(&q, 0, 0, 0)
	})
	r.sum.Queries = stats
	if err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	return nil
}

// evaluator compiles the rules of the KPIs backfill can record.
func (r *run) evaluator(st *store, from, to int64) (*evaluator, error) {
	keep, warnings := recordable(r.m)
	for _, w := range append(warnings, withoutHistory(r.m)...) {
		r.opts.Warn(w)
	}
	mm := *r.m
	mm.KPIs = keep
	files, err := promrules.Groups(&mm)
	if err != nil {
		return nil, fmt.Errorf("backfill: %w", err)
	}
	var recs []*recording
	for _, f := range files {
		recs = append(recs, recordings(f.Groups, r.m.Settings.Rules.Interval, r.opts.RulesInterval)...)
	}
	return &evaluator{engine: newEngine(), db: st.db, rules: recs, from: from, to: to}, nil
}

// windows writes the range window by window: gauges, then rules, then the blocks completed.
func (r *run) windows(ctx context.Context, sp *spool, st *store, g *gauges, ev *evaluator, window int64) error {
	from, to := r.opts.From.UnixMilli(), r.opts.To.UnixMilli()
	var rows []row
	for w := floorTo(from, window); w < to; w += window {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if rows, err = sp.read(w, rows); err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
		if err := g.window(ctx, st.db, w, w+window, rows); err != nil {
			return fmt.Errorf("backfill: gauges: %w", err)
		}
		if err := ev.window(ctx, w, w+window); err != nil {
			return fmt.Errorf("backfill: rules: %w", err)
		}
		if err := st.cut(w + window); err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
		done := time.Duration(min(w+window, to)-from) * time.Millisecond
		r.progress(nil, g.samples+ev.samples, st.blocks(), done)
	}
	return nil
}

func (r *run) progress(q *QueryStats, samples int64, blocks int, done time.Duration) {
	if r.opts.Progress == nil {
		return
	}
	r.opts.Progress(Progress{Query: q, Series: r.sum.Series, Samples: samples, Blocks: blocks,
		Done: done, Total: r.opts.To.Sub(r.opts.From), Elapsed: time.Since(r.start)})
}

// gaugeLabels are the labels every gauge series carries: settings.rules.labels (the generated
// rules select gauges by them) and the caller's.
func (r *run) gaugeLabels() labels.Labels {
	all := map[string]string{}
	for k, v := range r.m.Settings.Rules.Labels {
		all[k] = v
	}
	for k, v := range r.opts.Labels {
		all[k] = v
	}
	return labels.FromMap(all)
}

// intervals are the sampling steps of the exports, in ms.
func (r *run) intervals() []int64 {
	out := make([]int64, len(r.exports))
	for i, e := range r.exports {
		out[i] = time.Duration(e.Interval).Milliseconds()
	}
	return out
}
