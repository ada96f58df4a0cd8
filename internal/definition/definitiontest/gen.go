// Package definitiontest generates large, valid definition folders for benchmarks and tests of every
// package that consumes the spec model.
package definitiontest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
)

// kpisPerFile splits generated definitions into files of a realistic size.
const kpisPerFile = 500

// FS returns a definitions folder with n KPIs of every kind, their supporting metrics, one
// objective per five KPIs and ten teams. It loads without errors or warnings.
func FS(n int) fstest.MapFS {
	fsys := fstest.MapFS{"settings.yaml": {Data: []byte(settings(n))}}
	for start := 0; start < n; start += kpisPerFile {
		end := min(start+kpisPerFile, n)
		name := fmt.Sprintf("kpis/part%04d.yaml", start/kpisPerFile)
		fsys[name] = &fstest.MapFile{Data: []byte(part(start, end))}
	}
	return fsys
}

// Write writes FS(n) under dir, for tools that take a folder path.
func Write(dir string, n int) error {
	for name, f := range FS(n) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("definitiontest: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("definitiontest: %w", err)
		}
	}
	return nil
}

// settings holds the source, the teams and the objectives.
func settings(n int) string {
	var b strings.Builder
	b.WriteString("settings:\n  namespace: bench\n  grafana: {url: https://grafana.example.com}\n")
	b.WriteString("sources:\n  - name: warehouse\n    driver: postgres\n    dsn: ${WAREHOUSE_DSN}\n")
	b.WriteString("teams:\n")
	for t := range 10 {
		fmt.Fprintf(&b, "  - name: team%d\n    slack_channel: \"#team-%d\"\n", t, t)
	}
	b.WriteString("objectives:\n")
	for o := range (n + 4) / 5 {
		fmt.Fprintf(&b, "  - name: objective%d\n    title: Objective %d\n    owner: team%d\n", o, o, o%10)
		b.WriteString("    period: {start: 2026-01-01, end: 2026-12-31}\n")
	}
	return b.String()
}

// part holds KPIs start to end-1, each with the SQL metric it is built on.
func part(start, end int) string {
	var b strings.Builder
	b.WriteString("metrics:\n")
	for i := start; i < end; i++ {
		fmt.Fprintf(&b, `  - name: m%d_count
    help: Rows of table t%d, by plan.
    owner: team%d
    unit: count
    source: warehouse
    labels: [plan]
    query: |
      SELECT plan, count(*) AS value
      FROM t%d
      GROUP BY plan
`, i, i, i%10, i)
	}
	b.WriteString("kpis:\n")
	for i := start; i < end; i++ {
		kpi(&b, i)
	}
	return b.String()
}

// kpi writes KPI i, cycling through the five kinds.
func kpi(b *strings.Builder, i int) {
	fmt.Fprintf(b, "  - name: k%d_ratio\n    title: KPI %d\n    objective: objective%d\n    owner: team%d\n    unit: ratio\n",
		i, i, i/5, i%10)
	switch i % 5 {
	case 0:
		fmt.Fprintf(b, "    source: warehouse\n    query: SELECT avg(x) AS value FROM t%d\n", i)
	case 1:
		fmt.Fprintf(b, "    metric: m%d_count\n    by: [plan]\n", i)
	case 2:
		fmt.Fprintf(b, "    ratio: {numerator: m%d_count, denominator: m%d_count}\n", i, i-1)
	case 3:
		fmt.Fprintf(b, "    growth: {metric: m%d_count, over: 30d}\n", i)
	default:
		fmt.Fprintf(b, "    expr: sum(rate(http_requests_total{code=~\"5..\", job=\"app%d\"}[5m])) / sum(rate(http_requests_total[5m]))\n", i)
	}
	fmt.Fprintf(b, "    target: {direction: higher, from: 0.5, to: 0.75}\n    critical: 0.25\n")
	fmt.Fprintf(b, "    supporting: [m%d_count]\n    alert: {for: 30m, runbook: https://wiki.example.com/k%d}\n", i, i)
}
