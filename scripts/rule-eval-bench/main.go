// Command rule-eval-bench measures what the generated rules cost a real Prometheus: it
// generates a model of -kpis KPIs, compiles its rules, backfills a week of history with
// promtool tsdb create-blocks-from openmetrics, starts Debian's prometheus scraping the live
// gauges, and prints the summed prometheus_rule_group_last_duration_seconds of its groups.
//
// The scenario is a normal cycle of a real deployment: -breaching (default 0.05) is the share
// of KPIs whose live data is off target (beyond its critical bound where the KPI has one) and
// whose trend forecasts a miss of the final target; the others are comfortably green and
// forecast to meet their final target. Values hold steady over time (a growth's input grows at
// its rate, so its growth stays the same). The bench prints the scenario at the start and, at
// each reading, the alerts Prometheus holds active (count(ALERTS), pending and firing: the
// alerts wait 15m, so during a run they are pending). -breaching 1 is the alert-storm case,
// every KPI off target and at risk at once.
//
//	go run ./scripts/rule-eval-bench -kpis 1000
//	go run ./scripts/rule-eval-bench -kpis 1000 -breaching 1
package main

import (
	"bufio"
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/demo/stack"
	"github.com/kpic/kpic/internal/promrules"
)

type options struct {
	kpis      int
	history   time.Duration
	interval  time.Duration
	samples   int
	keep      bool
	breaching float64
	perObj    int
}

func main() {
	var o options
	flag.IntVar(&o.kpis, "kpis", 1000, "KPIs in the generated model")
	flag.DurationVar(&o.history, "history", 7*24*time.Hour, "history backfilled before the start")
	flag.DurationVar(&o.interval, "interval", 30*time.Second, "settings.rules.interval")
	flag.IntVar(&o.samples, "samples", 6, "readings of the group durations, one per evaluation interval")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder")
	flag.Float64Var(&o.breaching, "breaching", 0.05, "share of KPIs off target and forecast to miss (0 to 1; 1 is the alert storm)")
	flag.IntVar(&o.perObj, "per-objective", 10, "KPIs per objective (an objective's rules have a line per KPI)")
	flag.Parse()
	if o.breaching < 0 || o.breaching > 1 || math.IsNaN(o.breaching) {
		fmt.Fprintln(os.Stderr, "rule-eval-bench: -breaching must be between 0 and 1")
		os.Exit(2)
	}
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
	m := benchModel(o.kpis, o.perObj, o.interval)
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
	s := newScenario(m, o.breaching, now)
	s.print(o, m)
	// The history ends before the lookback of an instant query at the start: in a Prometheus
	// that has run for a while the last minutes are in its head block only, and a rule reading
	// now touches no persisted block. History up to the start would make every selector of
	// every rule read a block index too, which a steady-state server never does.
	if err := backfill(dir, m, s, now.Add(-o.history), now.Add(-10*time.Minute)); err != nil {
		return err
	}
	return measure(o, dir, m, s, ruleFiles)
}

// benchModel has n KPIs over n/perObjective objectives: a fifth each of query KPIs, metrics promoted,
// ratios, growths and expressions, each over metrics of its own with two plans. Even KPIs aim
// higher on a ramp (10 to 20 over the period), odd ones lower under a fixed 0.5, every third
// has a critical bound beyond its target (5, 0.8); a growth's targets are daily rates (a ramp
// from 1% to 2%, at most 5%; critical 0.5%, 8%), which a gauge can keep up for a week.
func benchModel(n, perObjective int, interval time.Duration) *definition.Model {
	m := &definition.Model{Settings: definition.Settings{Namespace: "business",
		Rules: definition.RulesSettings{Interval: model.Duration(interval), ForecastWindow: model.Duration(7 * 24 * time.Hour)}}}
	start := time.Date(time.Now().Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range max(n/max(perObjective, 1), 1) {
		m.Objectives = append(m.Objectives, &definition.Objective{Name: fmt.Sprintf("objective_%d", i), Owner: "growth",
			Period: definition.Period{Start: definition.Date{Time: start}, End: definition.Date{Time: start.AddDate(1, 0, -1)}}})
	}
	kinds := []definition.KPIKind{definition.KindQuery, definition.KindMetric, definition.KindRatio, definition.KindGrowth, definition.KindExpr}
	for i := range n {
		a, b := inputs(i)
		for _, name := range []string{a, b} {
			m.Metrics = append(m.Metrics, &definition.Metric{Name: name, Source: "db", Query: "SELECT 1 AS value", Labels: []string{"plan"}})
		}
		k := &definition.KPI{Name: fmt.Sprintf("kpi_%d", i), Title: fmt.Sprintf("KPI %d", i), Objective: m.Objectives[i%len(m.Objectives)].Name,
			Owner: "growth", Unit: definition.Units[i%len(definition.Units)], Kind: kinds[i%len(kinds)],
			Alert: definition.Alert{For: model.Duration(15 * time.Minute), AbsentFor: model.Duration(15 * time.Minute)}}
		higher, lower := [3]float64{10, 20, 5}, [2]float64{0.5, 0.8} // from, to, critical; value, critical
		if k.Kind == definition.KindGrowth {
			higher, lower = [3]float64{0.01, 0.02, 0.005}, [2]float64{0.05, 0.08}
		}
		k.Target = definition.Target{Direction: definition.Higher, From: num(higher[0]), To: num(higher[1])}
		if i%2 == 1 {
			k.Target = definition.Target{Direction: definition.Lower, Value: num(lower[0])}
		}
		if i%3 == 0 {
			k.Critical = num(map[bool]float64{true: higher[2], false: lower[1]}[i%2 == 0])
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

// inputs are the metrics of KPI i.
func inputs(i int) (a, b string) { return fmt.Sprintf("m_%d_a", i), fmt.Sprintf("m_%d_b", i) }

func num(v float64) *definition.Number {
	return &definition.Number{Value: v, Text: strconv.FormatFloat(v, 'g', -1, 64)}
}

// plans label every gauge's two series.
var plans = [2]string{"free", "pro"}

// scenario is what the data says: which KPIs breach, the value each KPI has, and the gauges
// that give it that value.
type scenario struct {
	ref       time.Time        // when a growing gauge has its base values
	breaching []bool           // per KPI of the model
	values    []float64        // kpi:value per KPI, steady over time
	gauges    map[string]gauge // per exported name; the others have defaultGauge
}

// gauge is an exported gauge's two plans: their values at the scenario's ref, and for a growth's
// input the rate it grows by every over, so that (now - then) / then stays rate.
type gauge struct {
	plans [2]float64
	rate  float64
	over  time.Duration
}

// defaultGauge is a steady gauge (a ratio's denominator, say): 4 + 6 = 10.
var defaultGauge = gauge{plans: [2]float64{4, 6}}

// at is the value of a plan's series at t.
func (g gauge) at(plan int, ref, t time.Time) float64 {
	if g.over <= 0 {
		return g.plans[plan]
	}
	return g.plans[plan] * math.Pow(1+g.rate, float64(t.Sub(ref))/float64(g.over))
}

// isBreaching picks a share of the KPIs, spread over objectives, kinds and directions: i*7919
// mod 1000 runs through 0 to 999 once in every thousand consecutive KPIs (7919 is prime), so
// share*1000 of every thousand breach, and about that share of fewer.
func isBreaching(i int, share float64) bool { return float64(i*7919%1000) < share*1000 }

// newScenario picks each KPI's value and the gauges behind it: a query or metric KPI sums its
// two plans, a ratio or expression divides sum(a) by sum(b) = 10, a growth compares its input
// with the same input one growth.over earlier.
func newScenario(m *definition.Model, share float64, ref time.Time) *scenario {
	s := &scenario{ref: ref, breaching: make([]bool, len(m.KPIs)), values: make([]float64, len(m.KPIs)), gauges: map[string]gauge{}}
	split := func(v float64) gauge { return gauge{plans: [2]float64{0.4 * v, 0.6 * v}} } // sums to v
	for i, k := range m.KPIs {
		s.breaching[i] = isBreaching(i, share)
		v := liveValue(k, s.breaching[i])
		s.values[i] = v
		a, b := inputs(i)
		switch k.Kind {
		case definition.KindQuery:
			s.gauges[k.Name] = split(v)
		case definition.KindMetric:
			s.gauges[k.Metric] = split(v)
		case definition.KindRatio:
			s.gauges[k.Ratio.Numerator] = split(10 * v)
			s.gauges[k.Ratio.Denominator] = defaultGauge
		case definition.KindExpr: // sum(a) / sum(b), see benchModel
			s.gauges[a] = split(10 * v)
			s.gauges[b] = defaultGauge
		case definition.KindGrowth:
			s.gauges[k.Growth.Metric] = gauge{plans: [2]float64{40, 60}, rate: v, over: time.Duration(k.Growth.Over)}
		}
	}
	return s
}

// liveValue is the value a KPI holds. On target it is comfortably green: a quarter beyond the
// final target when higher is better, half of it when lower is, far from any critical bound,
// and its steady trend forecasts the final target met. Breaching, it is well beyond the lowest
// (highest) bar of its period, the critical bound included, so it is off target (red where it
// has a critical bound) and its steady trend forecasts the final target missed.
func liveValue(k *definition.KPI, breaching bool) float64 {
	final := k.Target.Final().Value
	bar := final
	if k.Target.IsRamp() {
		bar = k.Target.From.Value
	}
	if k.Target.Direction == definition.Lower {
		if !breaching {
			return final / 2
		}
		if k.Critical != nil {
			bar = max(bar, k.Critical.Value)
		}
		return 1.5 * bar
	}
	if !breaching {
		return 1.25 * final
	}
	if k.Critical != nil {
		bar = min(bar, k.Critical.Value)
	}
	return 0.4 * bar
}

// print says how many KPIs breach and which alerts that should make active.
func (s *scenario) print(o options, m *definition.Model) {
	breaching, critical := 0, 0
	for i, k := range m.KPIs {
		if s.breaching[i] {
			breaching++
			if k.Critical != nil {
				critical++
			}
		}
	}
	fmt.Printf("scenario: %d of %d KPIs breaching\n", breaching, len(m.KPIs))
	window := time.Duration(m.Settings.Rules.ForecastWindow)
	atRisk := fmt.Sprintf("%d KPIAtRisk", breaching)
	if o.history < window/2 {
		atRisk = fmt.Sprintf("no KPIAtRisk (the forecast waits for %s of trend, -history is %s)", model.Duration(window/2), model.Duration(o.history))
	}
	fmt.Printf("expected alerts, pending for their 15m then firing: %d KPIOffTarget, %d KPICritical, %s\n", breaching, critical, atRisk)
}

// lines lists every exported series of m with its value at t: two plans per gauge.
func (s *scenario) lines(m *definition.Model, t time.Time) []string {
	var out []string
	for _, e := range m.Exported() {
		g := s.gauge(e.Name)
		for j, plan := range plans {
			out = append(out, fmt.Sprintf("%s{plan=%q} %g", m.GaugeName(e.Name), plan, g.at(j, s.ref, t)))
		}
	}
	return out
}

func (s *scenario) gauge(name string) gauge {
	if g, ok := s.gauges[name]; ok {
		return g
	}
	return defaultGauge
}

// backfill writes history of the exported gauges (hourly) and of the series the rules read
// over ranges, kpi:value:trend (at its interval), as TSDB blocks of blockSpan each: the blocks
// a Prometheus with the default 15d retention compacts its history into (it never compacts
// beyond a tenth of the retention), where promtool's 2h blocks would make every range read
// of the forecast open 84 blocks. A growth's input also gets a sample every minute over its
// last growth.over and ten minutes (before from if -history is shorter), so that the growth
// has the value of "then" it reads with offset while the bench runs.
func backfill(dir string, m *definition.Model, s *scenario, from, to time.Time) error {
	opts := tsdb.DefaultOptions()
	opts.WALSegmentSize = -1
	opts.MinBlockDuration = blockSpan.Milliseconds()
	opts.MaxBlockDuration = blockSpan.Milliseconds()
	opts.RetentionDuration = int64(100 * 365 * 24 * time.Hour / time.Millisecond)
	tmp := filepath.Join(dir, "history")
	db, err := tsdb.Open(tmp, slog.New(slog.DiscardHandler), nil, opts, nil)
	if err != nil {
		return err
	}
	db.DisableCompactions()
	defer db.Close()
	// The head refuses samples far older than the first one an appender takes, so the series
	// that start earliest (a growth's input, when -history is shorter than its growth.over)
	// are appended first.
	type history struct {
		name         string
		g            gauge
		start, dense time.Time // first sample; minute samples from dense on
	}
	var gauges []history
	for _, e := range m.Exported() {
		x := history{name: m.GaugeName(e.Name), g: s.gauge(e.Name), start: from, dense: to}
		if x.g.over > 0 {
			x.dense = to.Add(-x.g.over - 10*time.Minute)
			x.start = minTime(from, x.dense)
		}
		gauges = append(gauges, x)
	}
	slices.SortStableFunc(gauges, func(a, b history) int { return a.start.Compare(b.start) })
	first := from
	if len(gauges) > 0 {
		first = minTime(from, gauges[0].start)
	}
	app := db.Appender(context.Background())
	samples := 0
	add := func(l labels.Labels, t time.Time, v float64) error {
		samples++
		_, err := app.Append(0, l, t.UnixMilli(), v)
		return err
	}
	for _, x := range gauges {
		for j, plan := range plans {
			l := labels.FromStrings(model.MetricNameLabel, x.name, "plan", plan)
			var t time.Time
			for t = from; t.Before(x.dense); t = t.Add(time.Hour) {
				if err := add(l, t, x.g.at(j, s.ref, t)); err != nil {
					return err
				}
			}
			for t = x.dense; t.Before(to); t = t.Add(time.Minute) {
				if err := add(l, t, x.g.at(j, s.ref, t)); err != nil {
					return err
				}
			}
		}
	}
	// The trend group's history: the trend, flat at today's value, and its projection to the
	// period's end, which a flat trend leaves at the same value.
	step := trendStep(m)
	for i, k := range m.KPIs {
		for _, name := range []string{"kpi:value:trend", "kpi:forecast:trend"} {
			l := labels.FromStrings(model.MetricNameLabel, name, "kpi", k.Name, "objective", k.Objective)
			for t := from; t.Before(to); t = t.Add(step) {
				if err := add(l, t, s.values[i]); err != nil {
					return err
				}
			}
		}
	}
	if err := app.Commit(); err != nil {
		return err
	}
	span := blockSpan.Milliseconds()
	for h := db.Head(); h.NumSeries() > 0 && h.MinTime() < to.UnixMilli(); {
		// The last block ends at the last sample, not at its aligned end: Prometheus refuses
		// samples older than the end of its newest block ("out of bounds").
		start := h.MinTime() / span * span
		end := min(start+span, to.UnixMilli())
		if err := db.CompactHead(tsdb.NewRangeHead(h, start, end-1)); err != nil {
			return fmt.Errorf("write block: %w", err)
		}
	}
	blocks := len(db.Blocks())
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Printf("history: %d samples from %s to %s in %d blocks of %s\n", samples, first.Format(time.RFC3339), to.Format(time.RFC3339), blocks, blockSpan)
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if _, err := ulid.ParseStrict(e.Name()); err == nil && e.IsDir() {
			if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(data, e.Name())); err != nil {
				return err
			}
		}
	}
	return os.RemoveAll(tmp)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// blockSpan is the span of the backfilled blocks: 18h, the largest a Prometheus with the
// default 15d retention compacts to (2h blocks compacted by threes, at most a tenth of the
// retention).
const blockSpan = 18 * time.Hour

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

// measure starts Prometheus on the backfilled data, scraping a server that publishes the live
// gauges, and prints the summed group durations once every group has run.
func measure(o options, dir string, m *definition.Model, s *scenario, ruleFiles []string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, strings.Join(s.lines(m, time.Now()), "\n")+"\n")
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
	c, err := api.NewClient(api.Config{Address: "http://" + addr})
	if err != nil {
		return err
	}
	return report(o, addr, v1.NewAPI(c), trendExprs(m))
}

// trendExprs are the expressions of the kpic:trend group, which runs only every trend interval
// (hourly for a week's forecast window) and may not have run during the readings.
func trendExprs(m *definition.Model) []string {
	all, _ := promrules.All(m)
	var exprs []string
	for _, g := range all {
		if g.Name == promrules.GroupTrend {
			for _, r := range g.Rules {
				exprs = append(exprs, r.Expr)
			}
		}
	}
	return exprs
}

// report waits until every group of the rules interval has run twice, then reads the group
// durations and the active alerts once per evaluation interval and prints each reading and
// their median. The trend group runs far less often (its history is backfilled): until it has
// run, a reading adds the time Prometheus takes to answer its expression as a query instead.
func report(o options, addr string, prom v1.API, trend []string) error {
	fmt.Printf("waiting %s for every group to run twice\n", 3*o.interval)
	time.Sleep(3 * o.interval)
	var totals, amortized []float64
	for i := range o.samples {
		if i > 0 {
			time.Sleep(o.interval)
		}
		r, err := readDurations(addr)
		if err != nil {
			return err
		}
		if !r.trendRan && len(trend) > 0 {
			start := time.Now()
			for _, e := range trend {
				if _, err := query(prom, e); err != nil {
					return err
				}
			}
			took := time.Since(start).Seconds()
			fmt.Printf("reading %d: kpic:trend has not run yet; its %d expressions answered as queries in %.1f ms, added to the sum\n", i+1, len(trend), took*1000)
			r.total += took
			r.shared += took
			for g := range r.last {
				if strings.HasSuffix(g, ";"+promrules.GroupTrend) {
					r.last[g] = took
				}
			}
		}
		totals = append(totals, r.total)
		amortized = append(amortized, r.amortized(o.interval))
		fmt.Printf("reading %d: %d groups, sum of last durations %.1f ms (per-KPI groups %.1f ms, shared %.1f ms, alerts %.1f ms; per %s evaluation, the hourly trend counted for its share: %.1f ms), CPU %.2f s so far, load %s\n",
			i+1, r.groups, r.total*1000, r.kpi*1000, r.shared*1000, r.alerts*1000, o.interval, amortized[len(amortized)-1]*1000, r.cpu, loadavg())
		a, err := readAlerts(prom)
		if err != nil {
			return err
		}
		fmt.Printf("reading %d: %d alerts active (firing+pending) on %d KPIs: %s\n", i+1, a.total, a.kpis, a.by)
	}
	slices.Sort(totals)
	slices.Sort(amortized)
	fmt.Printf("median sum of prometheus_rule_group_last_duration_seconds: %.1f ms\n", totals[len(totals)/2]*1000)
	fmt.Printf("median per %s evaluation, groups of longer intervals counted for their share: %.1f ms\n", o.interval, amortized[len(amortized)/2]*1000)
	return printRules(prom)
}

// printRules prints, from the last evaluation of each rule, the time spent per recorded series
// or alert name and how many rules have it: where a cycle goes.
func printRules(prom v1.API) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := prom.Rules(ctx, nil)
	if err != nil {
		return err
	}
	type cost struct {
		name  string
		rules int
		secs  float64
	}
	by := map[string]*cost{}
	var shared cost // the rules written once for all KPIs, whatever the number of KPIs
	for _, g := range res.Groups {
		once := g.Name == promrules.GroupStatus || strings.HasPrefix(g.Name, promrules.GroupAlertsPrefix)
		for _, r := range g.Rules {
			var name string
			var secs float64
			switch r := r.(type) {
			case v1.RecordingRule:
				name, secs = r.Name, r.EvaluationTime
			case v1.AlertingRule:
				name, secs = "alert "+r.Name, r.EvaluationTime
			default:
				continue
			}
			if by[name] == nil {
				by[name] = &cost{name: name}
			}
			by[name].rules++
			by[name].secs += secs
			if once {
				shared.rules++
				shared.secs += secs
			}
		}
	}
	costs := make([]*cost, 0, len(by))
	for _, c := range by {
		costs = append(costs, c)
	}
	slices.SortFunc(costs, func(a, b *cost) int { return cmp.Compare(b.secs, a.secs) })
	fmt.Println("last evaluation per series or alert name (rules, summed evaluationTime):")
	for _, c := range costs {
		fmt.Printf("  %-28s %5d rules %8.1f ms\n", c.name, c.rules, c.secs*1000)
	}
	fmt.Printf("rules written once for all KPIs (%s and the alerts): %d rules, %.1f ms; no layout of the per-KPI rules goes below this\n",
		promrules.GroupStatus, shared.rules, shared.secs*1000)
	return nil
}

type durations struct {
	groups                     int
	trendRan                   bool
	total, kpi, shared, alerts float64
	cpu                        float64
	// last and every are each group's last duration and interval in seconds, by rule_group.
	last, every map[string]float64
}

// amortized is the groups' evaluation time per evaluation of the rules interval base: a group
// evaluated less often (the trend, hourly) counts for its share of those evaluations.
func (d durations) amortized(base time.Duration) float64 {
	sum := 0.0
	for g, v := range d.last {
		share := 1.0
		if every := d.every[g]; every > base.Seconds() {
			share = base.Seconds() / every
		}
		sum += v * share
	}
	return sum
}

// ruleGroup is the rule_group label of a line of Prometheus's metrics.
func ruleGroup(line string) string {
	_, after, _ := strings.Cut(line, `rule_group="`)
	g, _, _ := strings.Cut(after, `"`)
	return g
}

// readDurations sums prometheus_rule_group_last_duration_seconds from Prometheus's own metrics.
func readDurations(addr string) (durations, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return durations{}, err
	}
	defer resp.Body.Close()
	d := durations{last: map[string]float64{}, every: map[string]float64{}}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "process_cpu_seconds_total "); ok {
			d.cpu, _ = strconv.ParseFloat(v, 64)
		}
		interval := strings.HasPrefix(line, "prometheus_rule_group_interval_seconds{")
		if !interval && !strings.HasPrefix(line, "prometheus_rule_group_last_duration_seconds{") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return d, fmt.Errorf("parse %q: %w", line, err)
		}
		if interval {
			d.every[ruleGroup(line)] = v
			continue
		}
		d.last[ruleGroup(line)] = v
		d.groups++
		d.total += v
		if strings.Contains(line, `;`+promrules.GroupTrend+`"`) && v > 0 {
			d.trendRan = true
		}
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

type alerts struct {
	total, kpis int
	by          string // count per alert name and state
}

// readAlerts counts the ALERTS series, pending and firing: in all, of distinct KPIs, and per
// alert name and state.
func readAlerts(prom v1.API) (alerts, error) {
	var a alerts
	total, err := query(prom, "count(ALERTS)")
	if err != nil {
		return a, err
	}
	kpis, err := query(prom, "count(count by (kpi) (ALERTS))")
	if err != nil {
		return a, err
	}
	by, err := query(prom, "count by (alertname, alertstate) (ALERTS)")
	if err != nil {
		return a, err
	}
	for _, r := range total {
		a.total += int(r.Value)
	}
	for _, r := range kpis {
		a.kpis += int(r.Value)
	}
	var parts []string
	for _, r := range by {
		parts = append(parts, fmt.Sprintf("%s %s %d", r.Metric["alertname"], r.Metric["alertstate"], int(r.Value)))
	}
	slices.Sort(parts)
	a.by = strings.Join(parts, ", ")
	if a.by == "" {
		a.by = "none"
	}
	return a, nil
}

// query runs an instant query with client_golang's API client, as the scorecard does.
func query(prom v1.API, expr string) (model.Vector, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v, _, _, err := prom.Query(ctx, expr, time.Now())
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", expr, err)
	}
	vec, ok := v.(model.Vector)
	if !ok {
		return nil, fmt.Errorf("query %s: got a %s, want an instant vector", expr, v.Type())
	}
	return vec, nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}
