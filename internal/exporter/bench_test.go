package exporter

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// discard is a ResponseWriter that drops the body, so the benchmark measures the exporter.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// filled returns an exporter publishing n series of one query, as a run would.
func filled(n int) *Exporter {
	e := New(Options{})
	enc := newEncoder("business_orders", "Orders.", []string{"customer", "country"}, n, sizeHint{})
	vals := [][]byte{nil, []byte("de")}
	for i := range n {
		vals[0] = strconv.AppendInt(vals[0][:0], int64(i), 10)
		enc.add(vals, float64(i))
	}
	e.store.put("orders", enc.finish(), time.Now().Add(time.Hour))
	return e
}

// BenchmarkScrape serves n series, plain and gzipped; the gzip member is made before timing,
// as the first scrape after a run would.
func BenchmarkScrape(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		e := filled(n)
		for _, enc := range []string{"identity", "gzip"} {
			b.Run(fmt.Sprintf("series=%d/encoding=%s", n, enc), func(b *testing.B) {
				r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
				r.Header.Set("Accept-Encoding", enc)
				e.ServeHTTP(&discard{h: http.Header{}}, r)
				b.ReportAllocs()
				for b.Loop() {
					e.ServeHTTP(&discard{h: http.Header{}}, r)
				}
			})
		}
		if n == 1_000_000 {
			runtime.GC()
			b.Logf("resident memory with %d series published (text and gzip): %s", n, rss())
		}
	}
}

// rss reads the process's resident set size from /proc (Linux).
func rss() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:"))
		}
	}
	return "unknown"
}

const millionRows = "SELECT 'customer_' || i AS customer, i::float8 AS value FROM generate_series(1, 1000000) AS i"

// BenchmarkPostgresMillionRows compares the driver's raw scan of a 1,000,000-row result with
// kpic's run of the same query into encoded series (read-only transaction included).
func BenchmarkPostgresMillionRows(b *testing.B) {
	// The superuser is allowed here: the benchmark reads generate_series and measures the scan.
	src, err := source.Open(&definition.Source{Name: "pg", Driver: "postgres", DSN: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", AllowPrivileged: true}, source.OSEnv())
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	if err := src.Ping(context.Background()); err != nil {
		b.Skipf("PostgreSQL is not reachable on 127.0.0.1:5432: %v", err)
	}
	b.Run("raw_scan", func(b *testing.B) {
		for b.Loop() {
			rawScan(b, src)
		}
		b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("kpic", func(b *testing.B) {
		q := source.Query{Name: "m", SQL: millionRows, Labels: []string{"customer"}, Timeout: time.Minute}
		var hint sizeHint // carried from run to run, as a job does
		for b.Loop() {
			enc := newEncoder("business_m", "M.", q.Labels, 2_000_000, hint)
			var err error
			enc.feed(func(visit source.Visit) { _, err = src.Run(context.Background(), q, visit) })
			if err != nil {
				b.Fatal(err)
			}
			blk := enc.finish()
			hint = sizeHint{len(blk.text), blk.series}
		}
		b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "rows/s")
	})
}

func rawScan(b *testing.B, src *source.Source) {
	rows, err := src.DB().Query(millionRows)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var label string
	var v float64
	for rows.Next() {
		if err := rows.Scan(&label, &v); err != nil {
			b.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEncoder turns 1,000,000 rows into a block without a database: the first run of a
// query (no size hint) and later ones (hint from the previous run).
func BenchmarkEncoder(b *testing.B) {
	const n = 1_000_000
	labels := make([][]byte, n)
	for i := range labels {
		labels[i] = fmt.Appendf(nil, "customer_%d", i+1)
	}
	encode := func(hint sizeHint) *block {
		enc := newEncoder("business_m", "M.", []string{"customer"}, 2_000_000, hint)
		row := make([][]byte, 1)
		for i, l := range labels {
			row[0] = l
			enc.add(row, float64(i+1))
		}
		return enc.finish()
	}
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			encode(sizeHint{})
		}
		b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("steady", func(b *testing.B) {
		blk := encode(sizeHint{})
		hint := sizeHint{len(blk.text), blk.series}
		b.ReportAllocs()
		for b.Loop() {
			encode(hint)
		}
		b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "rows/s")
	})
}
