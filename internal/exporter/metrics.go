package exporter

import (
	"log/slog"
	"sync"
	"time"

	"github.com/kpic/kpic/internal/source"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
)

// Reasons a row is dropped, the values of kpic_series_dropped_total's reason label.
const (
	DropNull       = "null"
	DropNonNumeric = "non_numeric"
	DropDuplicate  = "duplicate"
	DropLimit      = "limit"
	// DropLabelLength is a row with a label value over source.MaxLabelBytes.
	DropLabelLength = "label_length"
	// DropSize is a row past MaxResultBytes of the result's text.
	DropSize = "size"
)

var dropReasons = []string{DropNull, DropNonNumeric, DropDuplicate, DropLimit, DropLabelLength, DropSize}

// selfMetrics are kpic's own metrics, served before the exported gauges.
type selfMetrics struct {
	reg         *prometheus.Registry
	duration    *prometheus.GaugeVec
	lastSuccess *prometheus.GaugeVec
	errors      *prometheus.CounterVec
	rows        *prometheus.GaugeVec
	dropped     *prometheus.CounterVec
	up          *prometheus.GaugeVec
	canWrite    *prometheus.GaugeVec
	reloadOK    prometheus.Gauge
	reloadTime  prometheus.Gauge
	// sources holds, per source, whether each query's last run left the source up.
	mu      sync.Mutex
	sources map[string]map[string]bool
	warned  map[string]bool // sources whose writing role was logged
}

// sourceRan records a run of query against src: the source is up while no query's last run
// failed in a way that means the source is down (see source.Error.Down). It also publishes
// whether the source's role can write, warning the first time it can.
func (m *selfMetrics) sourceRan(src *source.Source, query string, up bool, log *slog.Logger) {
	m.mu.Lock()
	defer m.mu.Unlock()
	runs := m.sources[src.Name]
	if runs == nil {
		runs = map[string]bool{}
		m.sources[src.Name] = runs
	}
	runs[query] = up
	all := 1.0
	for _, ok := range runs {
		if !ok {
			all = 0
		}
	}
	m.up.WithLabelValues(src.Name).Set(all)
	can, known := src.CanWrite()
	if !known {
		return
	}
	if can && !m.warned[src.Name] {
		log.Warn("the source's role can write tables: kpic refuses writes itself, but a read-only role is safer (see docs/serve.md)", "source", src.Name)
	}
	m.warned[src.Name] = can
	m.canWrite.WithLabelValues(src.Name).Set(b2f(can))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func newSelfMetrics(st *store) *selfMetrics {
	m := &selfMetrics{
		reg:         prometheus.NewRegistry(),
		duration:    gaugeVec("kpic_query_duration_seconds", "How long the last run of the query took.", "query"),
		lastSuccess: gaugeVec("kpic_query_last_success_timestamp_seconds", "When the query last succeeded, as a Unix timestamp.", "query"),
		errors:      counterVec("kpic_query_errors_total", "Failed runs of the query, by reason.", "query", "reason"),
		rows:        gaugeVec("kpic_query_rows", "Rows the last successful run of the query returned.", "query"),
		dropped:     counterVec("kpic_series_dropped_total", "Result rows not published, by reason.", "query", "reason"),
		up:          gaugeVec("kpic_source_up", "Whether the last run of every query against the source succeeded or failed in its SQL alone (1), or some could not connect, timed out or were refused for the role (0).", "source"),
		canWrite:    gaugeVec("kpic_source_can_write", "Whether the source's role could change tables (1); kpic's own guards stop writes, a read-only role is safer.", "source"),
		sources:     map[string]map[string]bool{},
		warned:      map[string]bool{},
		reloadOK:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "kpic_config_last_reload_successful", Help: "Whether the last configuration load succeeded."}),
		reloadTime:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "kpic_config_last_reload_success_timestamp_seconds", Help: "When the configuration was last loaded successfully, as a Unix timestamp."}),
	}
	m.reg.MustRegister(m.duration, m.lastSuccess, m.errors, m.rows, seriesCollector{st}, m.dropped, m.up, m.canWrite, m.reloadOK, m.reloadTime,
		versioncollector.NewCollector("kpic"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
}

func counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

// declare creates a query's counters at zero, so rate() and increase() see their first failure.
func (m *selfMetrics) declare(query string) {
	for _, r := range source.Reasons {
		m.errors.WithLabelValues(query, r)
	}
	for _, r := range dropReasons {
		m.dropped.WithLabelValues(query, r)
	}
}

// forget removes a query that a reload took away.
func (m *selfMetrics) forget(query string) {
	m.mu.Lock()
	for _, runs := range m.sources {
		delete(runs, query)
	}
	m.mu.Unlock()
	for _, v := range []interface {
		DeletePartialMatch(prometheus.Labels) int
	}{m.duration, m.lastSuccess, m.errors, m.rows, m.dropped} {
		v.DeletePartialMatch(prometheus.Labels{"query": query})
	}
}

var seriesDesc = prometheus.NewDesc("kpic_query_series", "Series the query publishes now (0 once its values are stale).", []string{"query"}, nil)

// seriesCollector reads the published snapshot at scrape time, so the count always matches
// what the same scrape serves, staleness included.
type seriesCollector struct{ st *store }

func (c seriesCollector) Describe(ch chan<- *prometheus.Desc) { ch <- seriesDesc }

func (c seriesCollector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now()
	for _, x := range c.st.load().entries {
		n := 0
		if now.Before(x.expires) {
			n = x.block.series
		}
		ch <- prometheus.MustNewConstMetric(seriesDesc, prometheus.GaugeValue, float64(n), x.name)
	}
}
