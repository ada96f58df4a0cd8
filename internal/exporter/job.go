package exporter

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/kpic/kpic/internal/source"
)

// job is one exported query bound to its open source.
type job struct {
	name     string // the query (metric or KPI) name
	gauge    string
	constant []byte // the constant labels of every line, see constantLabels
	help     string
	src      *source.Source
	query    source.Query
	interval time.Duration
	stale    int // missed intervals a failing query's values survive
	limit    int // series limit
	store    *store
	metrics  *selfMetrics
	log      *slog.Logger
	hint     sizeHint // of the last published block; only the job's goroutine uses it
}

// loop runs the query after a short random offset, then every interval with a little jitter,
// so queries spread out and the database sees one run per interval however often we are
// scraped. first is called after the first run, whatever its outcome.
func (j *job) loop(ctx context.Context, first func()) {
	t := time.NewTimer(jitter(min(j.interval/10, 2*time.Second)))
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		j.run(ctx)
		if n == 0 {
			first()
		}
		t.Reset(j.interval + jitter(j.interval/10) - j.interval/20)
	}
}

// jitter is a random duration in [0, d).
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}

// run executes the query once and publishes the outcome.
func (j *job) run(ctx context.Context) {
	start := time.Now()
	enc, st, err := j.execute(ctx)
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return // stopped by shutdown or reload: neither a success nor a failure
	}
	j.metrics.duration.WithLabelValues(j.name).Set(time.Since(start).Seconds())
	if err != nil {
		j.failed(err)
		return
	}
	j.succeeded(enc, st)
}

// execute runs the query once and encodes its rows; finish the encoder to get the block.
func (j *job) execute(ctx context.Context) (*encoder, source.Stats, error) {
	enc := newEncoder(j.gauge, j.help, j.query.Labels, j.limit, j.hint)
	enc.constant = j.constant
	var st source.Stats
	var err error
	enc.feed(func(visit source.Visit) { st, err = j.src.Run(ctx, j.query, visit) })
	return enc, st, err
}

func (j *job) succeeded(enc *encoder, st source.Stats) {
	b := enc.finish()
	j.hint = sizeHint{bytes: len(b.text), series: b.series}
	now := time.Now()
	j.store.put(j.name, b, now.Add(time.Duration(j.stale)*j.interval))
	m := j.metrics
	m.sourceRan(j.src, j.name, true, j.log)
	m.lastSuccess.WithLabelValues(j.name).Set(float64(now.UnixNano()) / 1e9)
	m.rows.WithLabelValues(j.name).Set(float64(st.Rows))
	drops := map[string]int{DropNull: st.Null, DropNonNumeric: st.NonNumeric, DropDuplicate: enc.duplicate,
		DropLimit: enc.overLimit, DropLabelLength: st.LongLabel, DropSize: enc.overSize}
	total := 0
	for reason, n := range drops {
		m.dropped.WithLabelValues(j.name, reason).Add(float64(n))
		total += n
	}
	if total > 0 {
		j.log.Debug("rows dropped", "query", j.name, "null", st.Null, "non_numeric", st.NonNumeric, "duplicate", enc.duplicate,
			"over_limit", enc.overLimit, "label_too_long", st.LongLabel, "over_size", enc.overSize)
	}
}

// failed counts the failure; the last good values stay until they expire, then go.
func (j *job) failed(err error) {
	reason := source.ReasonQuery
	var se *source.Error
	if errors.As(err, &se) {
		reason = se.Reason
	}
	j.metrics.errors.WithLabelValues(j.name, reason).Inc()
	j.metrics.sourceRan(j.src, j.name, se == nil || !se.Down(), j.log)
	j.log.Warn("query failed", "query", j.name, "source", j.src.Name, "reason", reason, "err", err)
	if x, ok := j.store.load().find(j.name); ok && x.block.series > 0 && !time.Now().Before(x.expires) {
		j.store.put(j.name, &block{}, x.expires) // free the stale values, scrapes already skip them
	}
}
