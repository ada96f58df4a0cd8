package exporter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// generation is one applied configuration: its open sources and its jobs.
type generation struct {
	sources map[string]*source.Source
	jobs    []*job
	defs    map[string]string
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// newGeneration opens m's sources and prepares its jobs, without starting them.
func (e *Exporter) newGeneration(m *definition.Model) (*generation, error) {
	g := &generation{sources: map[string]*source.Source{}, defs: map[string]string{}}
	var errs []error
	for _, s := range m.Sources {
		src, err := source.Open(s, e.opts.Env)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		g.sources[s.Name] = src
	}
	gauges := map[string]string{}
	for _, x := range m.Exported() {
		if err := gaugeNameFree(m.GaugeName(x.Name), x, gauges); err != nil {
			errs = append(errs, err)
			continue
		}
		j, err := e.newJob(m, x, g.sources[x.Source])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		g.jobs = append(g.jobs, j)
		g.defs[x.Name] = fingerprint(m, x)
	}
	if err := errors.Join(errs...); err != nil {
		g.closeSources()
		return nil, err
	}
	return g, nil
}

// gaugeNameFree refuses a gauge that would collide with kpic's own series or another query's
// gauge: /metrics would hold two families of one name and Prometheus would reject the scrape.
// kpic check reports the same; this guards models built without it.
func gaugeNameFree(gauge string, x definition.Export, seen map[string]string) error {
	if _, owner := definition.ReservedPrefix(gauge); owner != "" {
		return fmt.Errorf("%s: query %q: gauge %s would collide with %s", x.Pos, x.Name, gauge, owner)
	}
	if other, dup := seen[gauge]; dup {
		return fmt.Errorf("%s: query %q: gauge %s is also published by query %q", x.Pos, x.Name, gauge, other)
	}
	seen[gauge] = x.Name
	return nil
}

// newJob applies the defaults a model built without definition.Load may lack.
func (e *Exporter) newJob(m *definition.Model, x definition.Export, src *source.Source) (*job, error) {
	if src == nil {
		return nil, fmt.Errorf("%s: query %q: unknown source %q", x.Pos, x.Name, x.Source)
	}
	settings := m.Settings.Exporter
	return &job{
		name: x.Name, gauge: m.GaugeName(x.Name), constant: constantLabels(m.Settings.Rules.Labels), help: x.Help, src: src,
		query:    source.Query{Name: x.Name, SQL: x.Query, Labels: x.Labels, Timeout: timeout(m, x)},
		interval: orDuration(time.Duration(x.Interval), time.Duration(m.Settings.DefaultInterval), time.Minute),
		stale:    orInt(settings.StaleIntervals, 3),
		limit:    orInt(x.SeriesLimit, settings.SeriesLimit, 10000),
		store:    e.store, metrics: e.metrics, log: e.opts.Logger,
	}, nil
}

func timeout(m *definition.Model, x definition.Export) time.Duration {
	var st time.Duration
	if s := m.Source(x.Source); s != nil {
		st = time.Duration(s.QueryTimeout)
	}
	return orDuration(time.Duration(x.Timeout), st, 30*time.Second)
}

func orDuration(ds ...time.Duration) time.Duration {
	for _, d := range ds {
		if d > 0 {
			return d
		}
	}
	return 0
}

func orInt(ns ...int) int {
	for _, n := range ns {
		if n > 0 {
			return n
		}
	}
	return 0
}

// fingerprint changes whenever a reload changes what the query publishes.
func fingerprint(m *definition.Model, x definition.Export) string {
	return strings.Join([]string{m.GaugeName(x.Name), x.Help, x.Source, x.Query, strings.Join(x.Labels, ","), string(constantLabels(m.Settings.Rules.Labels))}, "\x00")
}

// start runs every job; the exporter becomes ready once each has run once.
func (g *generation) start(e *Exporter) {
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	var pending atomic.Int64
	pending.Store(int64(len(g.jobs)))
	if len(g.jobs) == 0 {
		e.ready.Store(true)
	}
	for _, j := range g.jobs {
		e.metrics.declare(j.name)
		g.wg.Go(func() {
			j.loop(ctx, func() {
				if pending.Add(-1) == 0 {
					e.ready.Store(true)
				}
			})
		})
	}
}

// stop cancels running queries, waits for the jobs to end and closes the sources.
func (g *generation) stop() {
	if g.cancel != nil {
		g.cancel()
	}
	g.wg.Wait()
	g.closeSources()
}

func (g *generation) closeSources() {
	for _, s := range g.sources {
		s.Close()
	}
}
