package exporter

import (
	"context"
	"fmt"
	"sync"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// Trial is one exported query run once, exactly as kpic serve runs and publishes it, so that
// `kpic check --queries` and `kpic query` show what serve would.
type Trial struct {
	Export definition.Export
	// Text is the exposition serve would publish (HELP, TYPE and one line per series); empty
	// when no row was usable.
	Text []byte
	// Series is how many series Text holds; Limit is the query's series limit.
	Series, Limit int
	// Stats counts the rows read and those skipped for a NULL or non-numeric value.
	Stats source.Stats
	// Duplicate and OverLimit count rows dropped for a repeated label set or past Limit.
	Duplicate, OverLimit int
	// Err is why the query failed: a *source.Error (with its reason) or an *OpenError.
	Err error
}

// OpenError is a source that could not be opened (an unset variable, an unreadable dsn_file),
// so none of its queries ran.
type OpenError struct {
	Source string
	Err    error
}

func (e *OpenError) Error() string { return e.Err.Error() }

func (e *OpenError) Unwrap() error { return e.Err }

// Try runs each of exports once against its source with serve's read-only transactions,
// timeouts, series limits and encoding, and returns the outcomes in the order of exports.
// Queries on one source run one after another, so none waits for a connection against its
// timeout; different sources run in parallel.
func Try(ctx context.Context, m *definition.Model, env source.Env, exports []definition.Export) []Trial {
	e := New(Options{Env: env})
	trials := make([]Trial, len(exports))
	bySource := map[string][]int{}
	for i, x := range exports {
		trials[i].Export = x
		bySource[x.Source] = append(bySource[x.Source], i)
	}
	var wg sync.WaitGroup
	for name, idx := range bySource {
		wg.Go(func() { e.trySource(ctx, m, name, exports, idx, trials) })
	}
	wg.Wait()
	return trials
}

// trySource opens one source and runs the exports at idx on it, filling their trials.
func (e *Exporter) trySource(ctx context.Context, m *definition.Model, name string, exports []definition.Export, idx []int, trials []Trial) {
	def := m.Source(name)
	if def == nil {
		for _, i := range idx {
			trials[i].Err = &OpenError{Source: name, Err: fmt.Errorf("unknown source %q", name)}
		}
		return
	}
	src, err := source.Open(def, e.opts.Env)
	if err != nil {
		for _, i := range idx {
			trials[i].Err = &OpenError{Source: name, Err: err}
		}
		return
	}
	defer src.Close()
	for _, i := range idx {
		trials[i] = e.tryOne(ctx, m, exports[i], src)
	}
}

func (e *Exporter) tryOne(ctx context.Context, m *definition.Model, x definition.Export, src *source.Source) Trial {
	t := Trial{Export: x}
	j, err := e.newJob(m, x, src)
	if err != nil {
		t.Err = err
		return t
	}
	t.Limit = j.limit
	enc, st, err := j.execute(ctx)
	t.Stats, t.Err = st, err
	if err != nil {
		return t
	}
	b := enc.finish()
	t.Text, t.Series, t.Duplicate, t.OverLimit = b.text, b.series, enc.duplicate, enc.overLimit
	return t
}
