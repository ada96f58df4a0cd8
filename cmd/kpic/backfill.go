package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/backfill"
	"github.com/kpic/kpic/internal/source"
)

// backfillFlags are the flags of kpic backfill.
type backfillFlags struct {
	dir, out, from, to, promURL string
	block, rulesInterval        time.Duration
	labels                      map[string]string
}

func registerBackfill(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("backfill", "Run the history queries and write Prometheus TSDB blocks of the gauges and recorded rules.")
	f := &backfillFlags{}
	cmd.Flag("from", "Start of the range: a date (2026-01-01) or an RFC 3339 time.").Required().StringVar(&f.from)
	cmd.Flag("to", "End of the range (excluded); default: the oldest sample of --prometheus.url or block in --out, or now.").StringVar(&f.to)
	cmd.Flag("out", "Folder that receives the blocks.").Required().StringVar(&f.out)
	cmd.Flag("prometheus.url", "A running Prometheus whose oldest sample is the default --to, so blocks never overlap its data.").StringVar(&f.promURL)
	cmd.Flag("block-duration", "Span of each block (whole hours, at least 2h).").Default(backfill.DefaultBlockDuration.String()).DurationVar(&f.block)
	cmd.Flag("rules.interval", "Evaluate the rule groups of a shorter interval at this step instead: faster over long ranges, but coarser than what Prometheus would have recorded. Longer groups (the hourly trend) keep theirs.").DurationVar(&f.rulesInterval)
	cmd.Flag("label", "Label added to every gauge series, as the scrape of kpic serve adds it (name=value, repeatable).").StringMapVar(&f.labels)
	cmd.Arg("KPIDIR", "Folder of KPI definitions.").Default("kpis").StringVar(&f.dir)
	register("backfill", func(ctx context.Context) error { return runBackfill(ctx, io, f) })
}

func runBackfill(ctx context.Context, io streams, f *backfillFlags) error {
	m, err := load(io, f.dir)
	if err != nil {
		return err
	}
	from, err := parseInstant("--from", f.from)
	if err != nil {
		return err
	}
	to, err := backfillEnd(ctx, f)
	if err != nil {
		return err
	}
	p := newProgress(io.stderr)
	sum, err := backfill.Run(ctx, m, backfill.Options{From: from, To: to, Out: f.out, BlockDuration: f.block, RulesInterval: f.rulesInterval,
		Labels: f.labels, Env: source.OSEnv(), Progress: p.show,
		Warn: func(w string) { p.clear(); fmt.Fprintln(io.stderr, "kpic backfill: warning:", w) }})
	p.clear()
	for _, q := range sum.Queries {
		reportDrops(io.stderr, q)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.stdout, "kpic: backfilled %s to %s: %d series, %d gauge and %d rule samples in %d blocks under %s\n",
		from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), sum.Series, sum.GaugeSamples, sum.RuleSamples, len(sum.Blocks), f.out)
	return nil
}

// reportDrops says which rows of a history query were dropped and why, as kpic serve counts them.
func reportDrops(w io.Writer, q backfill.QueryStats) {
	var parts []string
	for _, d := range []struct {
		n    int
		what string
	}{{q.Null, "NULL values"}, {q.NonNumeric, "non-numeric values"}, {q.BadTime, "unreadable times"},
		{q.Duplicate, "duplicates"}, {q.OverLimit, "rows over the series limit"}} {
		if d.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", d.n, d.what))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "kpic backfill: history of %s: dropped %s\n", q.Name, strings.Join(parts, ", "))
	}
}

// parseInstant reads a date (UTC midnight) or an RFC 3339 time.
func parseInstant(flag, s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%q: want a date (2026-01-01) or an RFC 3339 time (2026-01-01T00:00:00Z)", flag, s)
	}
	return t, nil
}

// backfillEnd is --to, or else the earliest of now, the oldest sample of --prometheus.url and
// the oldest block already in --out, so that new blocks never overlap data unless asked.
func backfillEnd(ctx context.Context, f *backfillFlags) (time.Time, error) {
	if f.to != "" {
		return parseInstant("--to", f.to)
	}
	end := time.Now().Truncate(time.Minute)
	if f.promURL != "" {
		oldest, ok, err := oldestSample(ctx, f.promURL)
		if err != nil {
			return time.Time{}, fmt.Errorf("--prometheus.url: %w (or set --to)", err)
		}
		if ok && oldest.Before(end) {
			end = oldest
		}
	}
	oldest, ok, err := backfill.OldestBlock(f.out)
	if err != nil {
		return time.Time{}, fmt.Errorf("--out: %w (or set --to)", err)
	}
	if ok && oldest.Before(end) {
		end = oldest
	}
	return end, nil
}

// oldestSample reads prometheus_tsdb_lowest_timestamp (milliseconds) from the server's own
// /metrics; ok is false when the server holds no sample yet.
func oldestSample(ctx context.Context, base string) (time.Time, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/metrics", nil)
	if err != nil {
		return time.Time{}, false, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return time.Time{}, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return time.Time{}, false, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		rest, found := strings.CutPrefix(sc.Text(), "prometheus_tsdb_lowest_timestamp ")
		if !found {
			continue
		}
		ms, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		if err != nil || ms >= math.MaxInt64/2 || ms <= 0 {
			return time.Time{}, false, nil
		}
		return time.UnixMilli(int64(ms)), true, nil
	}
	if err := sc.Err(); err != nil {
		return time.Time{}, false, err
	}
	return time.Time{}, false, fmt.Errorf("no prometheus_tsdb_lowest_timestamp in %s/metrics; is it a Prometheus server?", base)
}

// progress draws one status line on a terminal, and nothing elsewhere.
type progress struct {
	w     io.Writer
	on    bool
	drawn bool
	last  time.Time
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	on := false
	if ok {
		if st, err := f.Stat(); err == nil {
			on = st.Mode()&os.ModeCharDevice != 0
		}
	}
	return &progress{w: w, on: on}
}

func (p *progress) show(s backfill.Progress) {
	if !p.on || time.Since(p.last) < 200*time.Millisecond && s.Done < s.Total {
		return
	}
	p.last = time.Now()
	line := fmt.Sprintf("%d series, %d samples, %d blocks, %s elapsed", s.Series, s.Samples, s.Blocks, s.Elapsed.Round(time.Second))
	if s.Query != nil {
		line = fmt.Sprintf("read history of %s (%d rows); %s", s.Query.Name, s.Query.Rows, line)
	} else if s.Total > 0 {
		line = fmt.Sprintf("%3.0f%%: %s, %s remaining", 100*float64(s.Done)/float64(s.Total), line, s.Remaining().Round(time.Second))
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.drawn = true
}

// clear removes the status line before other output.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
