package scorecard

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/kpic/kpic/internal/definition"
)

// BenchmarkOverview1000KPIs renders the overview of 1,000 KPIs (100 objectives) from a server
// answering the Prometheus API with 1,000 series per name and 90 points of history per KPI. It
// reports the queries one page makes (they do not grow with the KPIs) and the page's size.
func BenchmarkOverview1000KPIs(b *testing.B) {
	const kpis = 1000
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kpis.yaml"), []byte(catalog(kpis)), 0o644); err != nil {
		b.Fatal(err)
	}
	m := loadB(b, dir)
	var queries atomic.Int64
	api := httptest.NewServer(fakeAPI(kpis, &queries))
	defer api.Close()
	sc, err := New(m, Options{PrometheusURL: api.URL, Timeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	var size int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		sc.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET / = %d: %.500s", rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(queries.Load())/float64(b.N), "queries/page")
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

// BenchmarkOverviewPage1000KPIs is the part of BenchmarkOverview1000KPIs that is kpic's own
// work: building the views and sparklines of 1,000 KPIs and executing the template, from data
// already read (without the Prometheus API's JSON encoding and decoding).
func BenchmarkOverviewPage1000KPIs(b *testing.B) {
	const kpis = 1000
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kpis.yaml"), []byte(catalog(kpis)), 0o644); err != nil {
		b.Fatal(err)
	}
	m := loadB(b, dir)
	var queries atomic.Int64
	api := httptest.NewServer(fakeAPI(kpis, &queries))
	defer api.Close()
	sc, err := New(m, Options{PrometheusURL: api.URL, Timeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	d := sc.prom.fetch(context.Background(), fetchRequest{sel: selector{labels: m.Settings.Rules.Labels}, at: now, by: byLabels(m),
		history: v1.Range{Start: now.Add(-sparkWindow), End: now, Step: sparkStep}})
	if d.err != nil {
		b.Fatal(d.err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p := overview(m, d, now, filter{})
		if err := sc.pages["overview"].Execute(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}

func loadB(b *testing.B, dir string) *definition.Model {
	b.Helper()
	m, diags := definition.Load(dir)
	if diags.HasErrors() {
		b.Fatal(diags.Errors())
	}
	return m
}

// catalog writes n KPIs, ten per objective, computed by constant PromQL.
func catalog(n int) string {
	var s strings.Builder
	s.WriteString("settings: {rules: {labels: {tenant: bench}}}\nteams:\n  - {name: ops, slack_channel: \"#ops\"}\nobjectives:\n")
	for o := 0; o < n/10; o++ {
		fmt.Fprintf(&s, "  - {name: objective_%d, title: Objective %d, owner: ops, period: {start: 2020-01-01, end: 2099-12-31}}\n", o, o)
	}
	s.WriteString("kpis:\n")
	for k := 0; k < n; k++ {
		fmt.Fprintf(&s, "  - {name: kpi_%d, title: KPI number %d, objective: objective_%d, owner: ops, unit: dollars, expr: vector(%d), target: {direction: higher, from: 100, to: 200}, critical: 50, supporting: [kpi_0]}\n", k, k, k/10, k)
	}
	return s.String()
}

// fakeAPI answers instant queries with one sample per KPI and range queries with 90 points per
// KPI, in the Prometheus API's JSON.
func fakeAPI(n int, queries *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries.Add(1)
		_ = r.ParseForm()
		now := float64(time.Now().Unix())
		var result []map[string]any
		name := strings.SplitN(r.Form.Get("query"), "{", 2)[0]
		for k := 0; k < n; k++ {
			metric := map[string]string{"__name__": name, "kpi": fmt.Sprintf("kpi_%d", k), "tenant": "bench", "objective": fmt.Sprintf("objective_%d", k/10)}
			v := fmt.Sprint(k % 3)
			if r.URL.Path == "/api/v1/query_range" {
				var values [][2]any
				for i := 0; i < 90; i++ {
					values = append(values, [2]any{now - float64(90-i)*8*3600, fmt.Sprint(100 + i + k%7)})
				}
				result = append(result, map[string]any{"metric": metric, "values": values})
				continue
			}
			result = append(result, map[string]any{"metric": metric, "value": [2]any{now, v}})
		}
		typ := "vector"
		if r.URL.Path == "/api/v1/query_range" {
			typ = "matrix"
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": map[string]any{"resultType": typ, "result": result}})
	})
}
