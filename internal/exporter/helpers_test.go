package exporter

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/exporter-toolkit/web"
	_ "modernc.org/sqlite"
)

// sqliteDB creates a database file with a plans table and returns a writable handle and its path.
func sqliteDB(t *testing.T) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		"CREATE TABLE plans (plan TEXT, n REAL)",
		"INSERT INTO plans VALUES ('pro', 3), ('free', 10)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db, path
}

// testModel is a defaulted model with one source and the given metrics.
func testModel(src *definition.Source, metrics ...*definition.Metric) *definition.Model {
	return &definition.Model{
		Settings: definition.Settings{Namespace: "business", Exporter: definition.ExporterSettings{SeriesLimit: 100, StaleIntervals: 3}},
		Sources:  []*definition.Source{src},
		Metrics:  metrics,
	}
}

func metric(name, query string, interval time.Duration, labels ...string) *definition.Metric {
	return &definition.Metric{Name: name, Help: "Test metric " + name + ".", Source: "db", Query: query,
		Labels: labels, Interval: model.Duration(interval)}
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// started applies m to a new exporter, serves it and waits until it is ready.
func started(t *testing.T, m *definition.Model, logs io.Writer) (*Exporter, *httptest.Server) {
	t.Helper()
	e := New(Options{Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err := e.Apply(m); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	mux, err := e.Mux(web.LandingConfig{Name: "kpic", Description: "test", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if !e.waitReady(ctx) {
		t.Fatal("not ready after 10s")
	}
	return e, srv
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// scrape parses /metrics into "name{labels}" -> value.
func scrape(t *testing.T, srv *httptest.Server) map[string]float64 {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(get(t, srv.URL+"/metrics")))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, l.GetName()+"="+l.GetValue())
			}
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue() + m.GetUntyped().GetValue()
			out[name+"{"+strings.Join(ls, ",")+"}"] = v
		}
	}
	return out
}

// eventually polls cond for up to 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
