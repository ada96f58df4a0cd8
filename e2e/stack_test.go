//go:build e2e

package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/demo/stack"
	"github.com/kpic/kpic/internal/slackhook"
)

// running is one stack under test: kpic serve on a backend, Prometheus and Alertmanager.
type running struct {
	prometheus string // base URL
	serve      string // base URL of kpic serve, which serves the scorecard at /
	slack      *slackhook.Receiver
}

// startStack runs the stack on the definitions in testdata/kpis.
func startStack(t *testing.T, b backend) running {
	t.Helper()
	return startStackOf(t, b, "testdata/kpis")
}

// startStackOf compiles the definitions in catalog for backend b with kpic build, then starts
// the webhook receiver, Alertmanager, kpic serve (with the scorecard reading Prometheus) and
// Prometheus on free ports. Everything stops with t.
func startStackOf(t *testing.T, b backend, catalog string) running {
	t.Helper()
	prom := need(t, "prometheus", installPrometheus)
	am := need(t, "prometheus-alertmanager", installPrometheus)
	dir := t.TempDir()
	defs := definitions(t, dir, catalog, b.driver)
	env := []string{"E2E_DSN=" + b.dsn}
	build(t, env, filepath.Join(dir, "out"), defs)

	slack := slackhook.New(testWriter{t}, "")
	hook := httptest.NewServer(slack)
	t.Cleanup(hook.Close)
	amAddr := startAlertmanager(t, am, dir, filepath.Join(dir, "out", "deploy", "alertmanager"), hook.URL)
	serveAddr, promAddr := freeAddr(t), freeAddr(t)
	start(t, dir, "kpic serve", "/metrics", serveAddr, env, kpicBin, "serve", "--config.dir="+defs,
		"--web.listen-address="+serveAddr, "--prometheus.url=http://"+promAddr)
	startPrometheus(t, prom, dir, promAddr, serveAddr, amAddr)
	return running{prometheus: "http://" + promAddr, serve: "http://" + serveAddr, slack: slack}
}

// definitions copies the YAML files of catalog into dir and adds the source for driver.
func definitions(t *testing.T, dir, catalog, driver string) string {
	t.Helper()
	defs := filepath.Join(dir, "kpis")
	if err := os.MkdirAll(defs, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(catalog, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no definitions in %s (%v)", catalog, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(defs, filepath.Base(f)), data)
	}
	source := "sources:\n  - name: db\n    driver: " + driver + "\n    dsn: ${E2E_DSN}\n    query_timeout: 5s\n"
	write(t, filepath.Join(defs, "source.yaml"), []byte(source))
	return defs
}

// build runs kpic build --out out defs.
func build(t *testing.T, env []string, out, defs string) {
	t.Helper()
	cmd := exec.Command(kpicBin, "build", "--out="+out, defs)
	cmd.Env = append(os.Environ(), env...)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kpic build --out=%s %s: %v\n%s", out, defs, err, msg)
	}
}

func startAlertmanager(t *testing.T, bin, dir, generated, hookURL string) string {
	t.Helper()
	urlFile := filepath.Join(dir, "slack_api_url")
	write(t, urlFile, []byte(hookURL+"\n"))
	cfg := filepath.Join(dir, "alertmanager")
	if err := stack.CopyAlertmanager(generated, cfg, urlFile); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	start(t, dir, "Alertmanager", "/-/ready", addr, nil, bin, "--config.file="+filepath.Join(cfg, "alertmanager.yml"),
		"--storage.path="+filepath.Join(cfg, "data"), "--web.listen-address="+addr, "--cluster.listen-address=")
	return addr
}

// startPrometheus runs Prometheus on addr, scraping kpic serve and evaluating the generated rules.
func startPrometheus(t *testing.T, bin, dir, addr, serveAddr, amAddr string) {
	t.Helper()
	startPrometheusOf(t, bin, dir, addr, []string{serveAddr}, ruleFiles(t, filepath.Join(dir, "out")), amAddr)
}

// ruleFiles lists the Prometheus rule files kpic build wrote under out.
func ruleFiles(t *testing.T, out string) []string {
	t.Helper()
	rules, err := filepath.Glob(filepath.Join(out, "deploy", "prometheus", "*.rules.yml"))
	if err != nil || len(rules) == 0 {
		t.Fatalf("kpic build wrote no %s/deploy/prometheus/*.rules.yml (%v)", out, err)
	}
	return rules
}

// startPrometheusOf runs Prometheus on addr, scraping targets every second and evaluating rules.
func startPrometheusOf(t *testing.T, bin, dir, addr string, targets, rules []string, amAddr string) {
	t.Helper()
	cfg, err := stack.Prometheus{Interval: time.Second, Targets: targets, RuleFiles: rules, Alertmanager: amAddr}.Config()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "prometheus.yml")
	write(t, path, cfg)
	start(t, dir, "Prometheus", "/-/ready", addr, nil, bin, "--config.file="+path,
		"--storage.tsdb.path="+filepath.Join(dir, "prometheus-data"), "--web.listen-address="+addr)
}

// start runs a program until the test ends and waits until it answers on readyPath.
func start(t *testing.T, dir, name, readyPath, addr string, env []string, bin string, args ...string) *stack.Proc {
	t.Helper()
	p, err := stack.Start(name, filepath.Join(dir, filepath.Base(bin)+".log"), env, bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(10 * time.Second); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("%s log:\n%s", name, p.LogTail(30))
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := stack.WaitHTTP(ctx, "http://"+addr+readyPath, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func freeAddr(t *testing.T) string {
	t.Helper()
	addr, err := stack.FreeAddr(0)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// testWriter shows the webhook's messages in the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
