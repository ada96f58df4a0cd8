//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const installChromium = "install it with `make install-chromium` (sudo apt-get install -y chromium chromium-driver)"

// TestScorecardInChromium serves testdata/scorecard with kpic serve --prometheus.url against a
// real Prometheus evaluating its kpic build rules, loads / and every KPI page in headless
// Chromium, and checks every KPI's data-status against kpi:status from the Prometheus API.
// Screenshots at desktop and phone width go to $E2E_SCREENSHOTS (default testdata-out/).
func TestScorecardInChromium(t *testing.T) {
	chromium := need(t, "chromium", installChromium)
	b := sqliteBackend(t)
	b.seed(t)
	s := startStackOf(t, b, "testdata/scorecard")
	eventually(t, 60*time.Second, "every KPI with data has a status", func() string {
		if n, _ := query(t, s.prometheus, `count(kpi:status{tenant="e2e"})`); n < 6 {
			return fmt.Sprintf("%v kpi:status series of the 6 expected", n)
		}
		return ""
	})
	br := newBrowser(t, chromium)
	shots := screenshotDir(t)
	want := kpiStatuses(t, s.prometheus)

	t.Run("the overview shows each KPI with its kpi:status and each objective", func(t *testing.T) {
		br.open(t, s.serve+"/")
		got := br.statuses(t, "data-kpi")
		if len(got) != 6 {
			t.Errorf("%d KPIs on the overview, want 6: %v", len(got), got)
		}
		compare(t, "/", got, want)
		objectives := br.statuses(t, "data-objective")
		if len(objectives) != 2 || objectives["keep_accounts"] != "red" || objectives["grow_sales"] != "amber" {
			t.Errorf("objectives %v, want keep_accounts red and grow_sales amber", objectives)
		}
		for o, got := range objectives {
			if v, ok := query(t, s.prometheus, `objective:status{tenant="e2e",objective="`+o+`"}`); ok && statusName(v) != got {
				t.Errorf("objective %s has data-status %q, objective:status says %q", o, got, statusName(v))
			}
		}
		br.screenshot(t, filepath.Join(shots, "scorecard-desktop.png"), 1280, 900, false)
		br.screenshot(t, filepath.Join(shots, "scorecard-phone.png"), 390, 844, true)
	})
	t.Run("every KPI page shows its kpi:status", func(t *testing.T) {
		for kpi := range want.all() {
			br.open(t, s.serve+"/kpi/"+kpi)
			compare(t, "/kpi/"+kpi, br.statuses(t, "data-kpi"), statusMap{kpi: want[kpi]})
		}
		br.open(t, s.serve+"/kpi/revenue_dollars")
		br.screenshot(t, filepath.Join(shots, "kpi-desktop.png"), 1280, 900, false)
		br.screenshot(t, filepath.Join(shots, "kpi-phone.png"), 390, 844, true)
	})
	t.Run("filters narrow the overview without JavaScript", func(t *testing.T) {
		br.open(t, s.serve+"/?status=red")
		got := br.statuses(t, "data-kpi")
		if len(got) != 1 || got["time_to_first_response_seconds"] != "red" {
			t.Errorf("?status=red shows %v, want only time_to_first_response_seconds", got)
		}
	})
	t.Run("no page wrote an error to the console", func(t *testing.T) {
		for _, m := range br.errors() {
			t.Errorf("console: %s", m)
		}
	})
}

// statusMap is KPI name -> data-status value.
type statusMap map[string]string

func (m statusMap) all() map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// kpiStatuses reads every KPI's worst kpi:status from the Prometheus API, and adds the KPIs
// of the catalog that have none as nodata.
func kpiStatuses(t *testing.T, prom string) statusMap {
	t.Helper()
	out := statusMap{"nps_score": "nodata"}
	for _, kpi := range []string{"active_accounts", "payment_failure_ratio", "time_to_first_response_seconds", "revenue_dollars", "deals_by_region"} {
		v, ok := query(t, prom, `max(kpi:status{tenant="e2e",kpi="`+kpi+`"})`)
		if !ok {
			t.Fatalf("no kpi:status for %s", kpi)
		}
		out[kpi] = statusName(v)
	}
	v, ok := query(t, prom, `kpi:status{tenant="e2e",kpi="nps_score"}`)
	if ok {
		t.Fatalf("nps_score has kpi:status %v, the catalog gives it no data", v)
	}
	return out
}

func statusName(v float64) string {
	return map[float64]string{0: "green", 1: "amber", 2: "red"}[v]
}

func compare(t *testing.T, page string, got, want statusMap) {
	t.Helper()
	for kpi, w := range want {
		if got[kpi] != w {
			t.Errorf("%s: KPI %s has data-status %q, kpi:status says %q", page, kpi, got[kpi], w)
		}
	}
	for kpi := range got {
		if _, ok := want[kpi]; !ok {
			t.Errorf("%s: unexpected KPI %s on the page", page, kpi)
		}
	}
}

// screenshotDir is where screenshots go: $E2E_SCREENSHOTS or testdata-out/ (git-ignored).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		dir = "testdata-out"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	t.Logf("screenshots in %s", abs)
	return dir
}

// browser is one headless Chromium with a fresh profile, collecting console errors.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

func newBrowser(t *testing.T, chromium string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start %s: %v", chromium, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.errs = append(b.errs, m.String()+" ("+m.URL+")")
				b.mu.Unlock()
			}
		}
	}()
	return b
}

func (b *browser) errors() []string {
	time.Sleep(200 * time.Millisecond) // let the last page's messages arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

func (b *browser) run(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	b.run(t, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(url), chromedp.WaitReady("body"))
}

// statuses reads attr and data-status of every element that has attr.
func (b *browser) statuses(t *testing.T, attr string) statusMap {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	js := `Array.from(document.querySelectorAll('[` + attr + `]')).map(e => [e.getAttribute('` + attr + `'), e.getAttribute('data-status')])`
	pairs, err := chromedp.Run(ctx, chromedp.Evaluate[[][2]string](js))
	if err != nil {
		t.Fatal(err)
	}
	out := statusMap{}
	for _, p := range pairs {
		if _, dup := out[p[0]]; dup {
			t.Errorf("%s=%q appears twice on the page", attr, p[0])
		}
		out[p[0]] = p[1]
	}
	return out
}

// screenshot writes a full-page PNG at the given viewport width.
func (b *browser) screenshot(t *testing.T, path string, width, height int64, mobile bool) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	b.run(t, chromedp.EmulateViewport(width, height, opts...), chromedp.Sleep(300*time.Millisecond))
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if width < 500 {
		b.checkNoHorizontalScroll(t, path)
	}
}

// checkNoHorizontalScroll fails when the page is wider than a phone's viewport.
func (b *browser) checkNoHorizontalScroll(t *testing.T, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		t.Fatal(err)
	}
	if w[0] > w[1] {
		t.Errorf("%s: the page is %dpx wide in a %dpx viewport", what, w[0], w[1])
	}
}
