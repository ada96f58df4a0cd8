package backfill_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/backfill"
	"github.com/kpic/kpic/internal/source"
)

// benchCatalog reads a year of daily history of benchSeries series, sampled every minute.
const benchCatalog = `
sources:
  - {name: db, driver: sqlite, dsn: "${HISTORY_DSN}"}
teams:
  - {name: growth, slack_channel: "#growth"}
metrics:
  - name: accounts
    help: Accounts, by series.
    owner: growth
    source: db
    labels: [series]
    interval: 1m
    series_limit: 20000
    query: SELECT series, value FROM history
    history:
      query: SELECT day AS time, series, value FROM history
      timeout: 10m
`

const benchSeries = 10_000

// BenchmarkBackfill writes the gauges of 10,000 series at a 1m interval from one year of daily
// rows, over two ranges of that year: the samples written per second and the peak heap show
// that throughput holds and memory does not grow with the range.
//
//	go test -run '^$' -bench BenchmarkBackfill -benchtime 1x ./internal/backfill/
func BenchmarkBackfill(b *testing.B) {
	dsn := yearOfHistory(b)
	m := loadCatalog(b, benchCatalog)
	env := source.Env{Getenv: func(string) string { return dsn }, ReadFile: os.ReadFile}
	for _, days := range []int{2, 8} {
		b.Run(fmt.Sprintf("days=%d", days), func(b *testing.B) {
			from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
			var samples int64
			var elapsed time.Duration
			peak := watchHeap()
			for b.Loop() {
				out := b.TempDir()
				start := time.Now()
				sum, err := backfill.Run(context.Background(), m, backfill.Options{From: from, To: from.AddDate(0, 0, days), Out: out, Env: env})
				if err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				samples += sum.GaugeSamples
				os.RemoveAll(out)
			}
			b.ReportMetric(float64(samples)/elapsed.Seconds(), "samples/s")
			b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
		})
	}
}

// yearOfHistory creates a SQLite file with 365 daily rows for each of benchSeries series.
func yearOfHistory(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "history.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(fmt.Sprintf(`CREATE TABLE history AS
		WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 364),
		s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d)
		SELECT date('2025-01-01', '+' || n || ' days') AS day, 's' || i AS series, (i * 7 + n) %% 1000 AS value
		FROM d, s`, benchSeries-1))
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// watchHeap samples the heap in use until the returned function is called, which gives the
// largest value seen.
func watchHeap() func() uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); return peak.Load() }
}
