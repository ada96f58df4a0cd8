package scorecard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/demo/stack"
	"github.com/kpic/kpic/internal/promrules"
)

// unavailable skips a test whose real dependency is missing, or fails it in CI.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// load reads a test catalog.
func load(t *testing.T, dir string) *definition.Model {
	t.Helper()
	m, diags := definition.Load(dir)
	if diags.HasErrors() {
		t.Fatalf("load %s: %v", dir, diags.Errors())
	}
	return m
}

// compiled writes the generated rule files of m into dir and returns their paths.
func compiled(t *testing.T, m *definition.Model, dir string) []string {
	t.Helper()
	files, err := promrules.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		path := filepath.Join(dir, filepath.Base(f.Path))
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

// startPrometheus runs Debian's Prometheus evaluating the rule files every second, and returns
// its URL. It stops with the test.
func startPrometheus(t *testing.T, rules []string) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		unavailable(t, "prometheus is not installed; make install-prometheus (apt-get install -y prometheus)")
	}
	dir := t.TempDir()
	cfg, err := stack.Prometheus{Interval: time.Second, RuleFiles: rules}.Config()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(path, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	addr, err := stack.FreeAddr(0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := stack.Start("Prometheus", filepath.Join(dir, "prometheus.log"), nil, bin, "--config.file="+path,
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(10 * time.Second); err != nil {
			t.Error(err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := stack.WaitHTTP(ctx, "http://"+addr+"/-/ready", p); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// twoProjects starts one Prometheus with the rules of testdata/acme and testdata/other and
// waits until every acme KPI with data has a status. It returns the acme model and the URL.
func twoProjects(t *testing.T) (*definition.Model, string) {
	t.Helper()
	acme, other := load(t, "testdata/acme"), load(t, "testdata/other")
	dir := t.TempDir()
	a, b := filepath.Join(dir, "acme"), filepath.Join(dir, "other")
	for _, d := range []string{a, b} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rules := append(compiled(t, acme, a), compiled(t, other, b)...)
	rules = append(rules, rollups(t, dir, rules, "acme", "other")...)
	url := startPrometheus(t, rules)
	waitFor(t, url, `count(kpi:status{tenant="acme"}) >= 5 and count(objective:status{tenant="acme"}) >= 2`)
	// The rollups may have been evaluated before the last KPI's status: wait until they count
	// all of them (one of grow's three KPIs is green).
	waitFor(t, url, `objective:attainment:ratio{tenant="acme",objective="grow"} > 0.33 < 0.34`)
	return acme, url
}

// waitFor polls Prometheus until expr returns a series.
func waitFor(t *testing.T, url, expr string) {
	t.Helper()
	p, err := newProm(url, 5*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		v, err := p.instant(context.Background(), expr, time.Now())
		if err == nil && len(v) > 0 {
			return
		}
		if time.Now().After(deadline) {
			out, _ := exec.Command("curl", "-s", url+"/api/v1/rules").Output()
			t.Fatalf("%s: no result within 60s (last error %v)\n%.3000s", expr, err, out)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// get serves one request through the scorecard and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String(), rec.Header()
}

func mustContain(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}

// rollups writes objective:status and objective:attainment:ratio rules for the tenants when
// the generated rules do not record them yet (issue 11 point 1 adds them to kpic build).
func rollups(t *testing.T, dir string, files []string, tenants ...string) []string {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "record: objective:status") {
			return nil
		}
	}
	var b strings.Builder
	b.WriteString("groups:\n")
	for _, tn := range tenants {
		sel := `{tenant="` + tn + `"}`
		status := `max by (tenant, kpi) (kpi:status` + sel + `) * on(tenant, kpi) group_left(objective) kpi:info` + sel
		b.WriteString("  - name: rollup-" + tn + "\n    interval: 1s\n    rules:\n")
		b.WriteString("      - record: objective:status\n        expr: 'max by (tenant, objective) (" + status + ")'\n")
		b.WriteString("      - record: objective:attainment:ratio\n        expr: 'count by (tenant, objective) ((" + status + ") == 0) / count by (tenant, objective) (" + status + ") or count by (tenant, objective) (" + status + ") * 0'\n")
	}
	path := filepath.Join(dir, "rollups.rules.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{path}
}
