// Command rule-eval-bench measures what the generated rules cost a real Prometheus: it
// generates a model of -kpis KPIs, compiles its rules, backfills a week of history with
// promtool tsdb create-blocks-from openmetrics, starts Debian's prometheus scraping the live
// gauges, and prints the summed prometheus_rule_group_last_duration_seconds of its groups.
//
//	go run ./scripts/rule-eval-bench -kpis 1000
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/demo/stack"
	"github.com/kpic/kpic/internal/promrules"
)

type options struct {
	kpis     int
	history  time.Duration
	interval time.Duration
	samples  int
	keep     bool
}

func main() {
	var o options
	flag.IntVar(&o.kpis, "kpis", 1000, "KPIs in the generated model")
	flag.DurationVar(&o.history, "history", 7*24*time.Hour, "history backfilled before the start")
	flag.DurationVar(&o.interval, "interval", 30*time.Second, "settings.rules.interval")
	flag.IntVar(&o.samples, "samples", 6, "readings of the group durations, one per evaluation interval")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "rule-eval-bench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	dir, err := os.MkdirTemp("", "rule-eval-bench-")
	if err != nil {
		return err
	}
	if !o.keep {
		defer os.RemoveAll(dir)
	}
	m := benchModel(o.kpis, o.interval)
	files, err := promrules.Build(m)
	if err != nil {
		return err
	}
	var ruleFiles []string
	rules := 0
	groups := 0
	for _, f := range files {
		p := filepath.Join(dir, filepath.Base(f.Path))
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
		ruleFiles = append(ruleFiles, p)
	}
	all, _ := promrules.All(m)
	for _, g := range all {
		groups++
		rules += len(g.Rules)
	}
	fmt.Printf("model: %d KPIs, %d rule groups, %d rules\n", o.kpis, groups, rules)
	now := time.Now()
	if err := backfill(dir, m, now.Add(-o.history), now.Add(-time.Minute)); err != nil {
		return err
	}
	return measure(o, dir, m, ruleFiles)
}

// benchModel has n KPIs over n/10 objectives: a fifth each of query KPIs, metrics promoted,
// ratios, growths and expressions, each over metrics of its own with two plans.
func benchModel(n int, interval time.Duration) *definition.Model {
	m := &definition.Model{Settings: definition.Settings{Namespace: "business",
		Rules: definition.RulesSettings{Interval: model.Duration(interval), ForecastWindow: model.Duration(7 * 24 * time.Hour)}}}
	start := time.Date(time.Now().Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range max(n/10, 1) {
		m.Objectives = append(m.Objectives, &definition.Objective{Name: fmt.Sprintf("objective_%d", i), Owner: "growth",
			Period: definition.Period{Start: definition.Date{Time: start}, End: definition.Date{Time: start.AddDate(1, 0, -1)}}})
	}
	kinds := []definition.KPIKind{definition.KindQuery, definition.KindMetric, definition.KindRatio, definition.KindGrowth, definition.KindExpr}
	for i := range n {
		a, b := fmt.Sprintf("m_%d_a", i), fmt.Sprintf("m_%d_b", i)
		for _, name := range []string{a, b} {
			m.Metrics = append(m.Metrics, &definition.Metric{Name: name, Source: "db", Query: "SELECT 1 AS value", Labels: []string{"plan"}})
		}
		k := &definition.KPI{Name: fmt.Sprintf("kpi_%d", i), Title: fmt.Sprintf("KPI %d", i), Objective: m.Objectives[i%len(m.Objectives)].Name,
			Owner: "growth", Unit: definition.Units[i%len(definition.Units)], Kind: kinds[i%len(kinds)],
			Alert: definition.Alert{For: model.Duration(15 * time.Minute), AbsentFor: model.Duration(15 * time.Minute)}}
		k.Target = definition.Target{Direction: definition.Higher, From: num(10), To: num(20)}
		if i%2 == 1 {
			k.Target = definition.Target{Direction: definition.Lower, Value: num(0.5)}
		}
		if i%3 == 0 {
			k.Critical = num(map[bool]float64{true: 5, false: 0.8}[i%2 == 0])
		}
		switch k.Kind {
		case definition.KindQuery:
			k.Source, k.Query, k.Labels = "db", "SELECT 1 AS value", []string{"plan"}
		case definition.KindMetric:
			k.Metric = a
		case definition.KindRatio:
			k.Ratio = &definition.Ratio{Numerator: a, Denominator: b}
		case definition.KindGrowth:
			k.Growth = &definition.Growth{Metric: a, Over: model.Duration(24 * time.Hour)}
		case definition.KindExpr:
			k.Expr = "sum(business_" + a + ") / sum(business_" + b + ")"
		}
		m.KPIs = append(m.KPIs, k)
	}
	return m
}

func num(v float64) *definition.Number {
	return &definition.Number{Value: v, Text: strconv.FormatFloat(v, 'g', -1, 64)}
}

// gauges lists every exported series of m with its value: two plans per gauge.
func gauges(m *definition.Model, at time.Time) []string {
	var out []string
	for i, e := range m.Exported() {
		for j, plan := range []string{"free", "pro"} {
			v := 10 + float64((i+j)%7) + float64(at.Unix()%86400)/86400
			out = append(out, fmt.Sprintf("%s{plan=%q} %g", m.GaugeName(e.Name), plan, v))
		}
	}
	return out
}

// backfill writes history of the exported gauges (hourly) and of the series the rules read
// over ranges, kpi:value:trend (at its interval), as OpenMetrics, and turns it into TSDB blocks.
func backfill(dir string, m *definition.Model, from, to time.Time) error {
	path := filepath.Join(dir, "history.om")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	samples := 0
	for _, e := range m.Exported() {
		name := m.GaugeName(e.Name)
		fmt.Fprintf(w, "# TYPE %s gauge\n", name)
		for _, plan := range []string{"free", "pro"} {
			for t := from; t.Before(to); t = t.Add(time.Hour) {
				fmt.Fprintf(w, "%s{plan=%q} %g %d\n", name, plan, 10+float64(t.Unix()%86400)/86400, t.Unix())
				samples++
			}
		}
	}
	step := trendStep(m)
	fmt.Fprintf(w, "# TYPE kpi:value:trend gauge\n")
	for i, k := range m.KPIs {
		for t := from; t.Before(to); t = t.Add(step) {
			fmt.Fprintf(w, "kpi:value:trend{kpi=%q,objective=%q} %g %d\n", k.Name, k.Objective, float64(i%10)+float64(t.Sub(from))/float64(time.Hour*24*30), t.Unix())
			samples++
		}
	}
	fmt.Fprintln(w, "# EOF")
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return err
	}
	fmt.Printf("history: %d samples from %s to %s\n", samples, from.Format(time.RFC3339), to.Format(time.RFC3339))
	out, err := exec.Command("promtool", "tsdb", "create-blocks-from", "openmetrics", path, filepath.Join(dir, "data")).CombinedOutput()
	if err != nil {
		return fmt.Errorf("promtool tsdb create-blocks-from openmetrics: %w\n%s", err, tail(out))
	}
	return os.Remove(path)
}

// trendStep is the interval of the kpic:trend group.
func trendStep(m *definition.Model) time.Duration {
	all, _ := promrules.All(m)
	for _, g := range all {
		if g.Name == promrules.GroupTrend {
			return time.Duration(g.Interval)
		}
	}
	return time.Minute
}

func tail(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-10):], "\n")
}

// measure starts Prometheus on the backfilled data, scraping a server that publishes the live
// gauges, and prints the summed group durations once every group has run.
func measure(o options, dir string, m *definition.Model, ruleFiles []string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, strings.Join(gauges(m, time.Now()), "\n")+"\n")
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	cfg, err := stack.Prometheus{Interval: o.interval, Targets: []string{ln.Addr().String()}, RuleFiles: ruleFiles}.Config()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), cfg, 0o644); err != nil {
		return err
	}
	addr, err := stack.FreeAddr(0)
	if err != nil {
		return err
	}
	p, err := stack.Start("prometheus", filepath.Join(dir, "prometheus.log"), nil, "prometheus",
		"--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr)
	if err != nil {
		return err
	}
	defer func() { _ = p.Stop(10 * time.Second) }()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := stack.WaitHTTP(ctx, "http://"+addr+"/-/ready", p); err != nil {
		return err
	}
	return report(o, addr, trendStep(m))
}

// report waits until the slowest group has run twice, then reads the group durations once per
// evaluation interval and prints each reading and their median.
func report(o options, addr string, slowest time.Duration) error {
	fmt.Printf("waiting %s for every group to run twice\n", 2*slowest+o.interval)
	time.Sleep(2*slowest + o.interval)
	var totals []float64
	for i := range o.samples {
		if i > 0 {
			time.Sleep(o.interval)
		}
		r, err := readDurations(addr)
		if err != nil {
			return err
		}
		totals = append(totals, r.total)
		fmt.Printf("reading %d: %d groups, sum of last durations %.1f ms (per-KPI groups %.1f ms, shared %.1f ms, alerts %.1f ms), CPU %.2f s so far, load %s\n",
			i+1, r.groups, r.total*1000, r.kpi*1000, r.shared*1000, r.alerts*1000, r.cpu, loadavg())
	}
	slices.Sort(totals)
	fmt.Printf("median sum of prometheus_rule_group_last_duration_seconds: %.1f ms\n", totals[len(totals)/2]*1000)
	return nil
}

type durations struct {
	groups                     int
	total, kpi, shared, alerts float64
	cpu                        float64
}

// readDurations sums prometheus_rule_group_last_duration_seconds from Prometheus's own metrics.
func readDurations(addr string) (durations, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return durations{}, err
	}
	defer resp.Body.Close()
	var d durations
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "process_cpu_seconds_total "); ok {
			d.cpu, _ = strconv.ParseFloat(v, 64)
		}
		if !strings.HasPrefix(line, "prometheus_rule_group_last_duration_seconds{") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return d, fmt.Errorf("parse %q: %w", line, err)
		}
		d.groups++
		d.total += v
		switch {
		case strings.Contains(line, `;kpi:`), strings.Contains(line, `;objective:`):
			d.kpi += v
		case strings.Contains(line, `;kpic:alerts:`):
			d.alerts += v
		default:
			d.shared += v
		}
	}
	return d, sc.Err()
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}
