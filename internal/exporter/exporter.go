package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// Options configure an Exporter.
type Options struct {
	Logger *slog.Logger
	// Env resolves ${VAR} and dsn_file in source DSNs; source.OSEnv() in production.
	Env source.Env
	// Load reads and validates the definitions again, for Reload.
	Load func() (*definition.Model, error)
	// Applied, when set, is told each model that Apply starts running (the scorecard follows
	// reloads through it).
	Applied func(*definition.Model)
}

// Exporter runs the queries of the applied model and serves their results.
type Exporter struct {
	opts    Options
	store   *store
	metrics *selfMetrics
	mu      sync.Mutex // serialises Apply, Reload and Close
	gen     *generation
	defs    map[string]string // query name -> definition fingerprint
	ready   atomic.Bool
	gzPool  sync.Pool // deflate writers for the self-metrics part of gzip scrapes
}

// New returns an exporter with nothing applied yet.
func New(opts Options) *Exporter {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Env.Getenv == nil {
		opts.Env = source.OSEnv()
	}
	st := newStore()
	return &Exporter{opts: opts, store: st, metrics: newSelfMetrics(st), defs: map[string]string{}}
}

// Reload loads the definitions with Options.Load and applies them. On failure the running
// configuration stays, and the reason is returned and shown in kpic_config_last_reload_*.
func (e *Exporter) Reload() error {
	if e.opts.Load == nil {
		return errors.New("reload: no loader configured")
	}
	m, err := e.opts.Load()
	if err != nil {
		e.metrics.reloadOK.Set(0)
		return fmt.Errorf("reload: %w", err)
	}
	return e.Apply(m)
}

// Apply starts running m's queries in place of the current ones. Sources are opened first:
// if one cannot be (an unset variable, an unreadable dsn_file, an invalid DSN), nothing
// changes. Results of queries whose definition did not change stay published.
func (e *Exporter) Apply(m *definition.Model) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	gen, err := e.newGeneration(m)
	if err != nil {
		e.metrics.reloadOK.Set(0)
		e.opts.Logger.Error("configuration not applied", "err", err)
		return err
	}
	if e.gen != nil {
		e.gen.stop()
	}
	e.retire(gen.defs)
	e.gen = gen
	gen.start(e)
	e.metrics.reloadOK.Set(1)
	e.metrics.reloadTime.SetToCurrentTime()
	e.opts.Logger.Info("configuration applied", "queries", len(gen.jobs), "sources", len(gen.sources))
	if e.opts.Applied != nil {
		e.opts.Applied(m)
	}
	return nil
}

// retire unpublishes queries that are gone or whose definition changed.
func (e *Exporter) retire(next map[string]string) {
	for name, def := range e.defs {
		if next[name] != def {
			e.metrics.forget(name)
		}
	}
	prev := e.defs
	e.store.retain(func(x entry) bool { return next[x.name] != "" && next[x.name] == prev[x.name] })
	e.defs = next
}

// Close stops every query and closes the sources.
func (e *Exporter) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.gen != nil {
		e.gen.stop()
		e.gen = nil
	}
}

// Ready reports whether every query of the first applied configuration has run or failed
// once; it stays true afterwards, since reloads keep serving the previous results.
func (e *Exporter) Ready() bool { return e.ready.Load() }

// waitReady is for tests: it polls Ready.
func (e *Exporter) waitReady(ctx context.Context) bool {
	for !e.Ready() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
	return true
}
