//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/kpic/kpic/internal/demo/stack"
)

// evaluation is the scrape and rule evaluation interval of the demo's Prometheus.
const evaluation = 10 * time.Second

// installHint says how to get Prometheus and Alertmanager.
const installHint = "install them with `make install-prometheus` (or: sudo apt-get install -y prometheus prometheus-alertmanager) and rerun `make demo`"

// startAlertmanager runs Alertmanager with the generated configuration, its Slack webhook URL
// pointing at the local receiver. It returns "" when Alertmanager or the configuration is missing.
func (s *session) startAlertmanager(ctx context.Context, deployDir, hookURL string) (string, error) {
	bin, err := exec.LookPath(s.c.alertmanager)
	if err != nil || deployDir == "" {
		s.where = append(s.where, [2]string{"Alertmanager", "not running: " + missing(err, installHint)})
		return "", nil
	}
	dir := filepath.Join(s.c.dir, "alertmanager")
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("reset alertmanager folder: %w", err)
	}
	urlFile := filepath.Join(s.c.dir, "slack_api_url")
	if err := os.WriteFile(urlFile, []byte(hookURL+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write slack webhook url file: %w", err)
	}
	if err := stack.CopyAlertmanager(filepath.Join(deployDir, "deploy", "alertmanager"), dir, urlFile); err != nil {
		return "", err
	}
	addr, err := stack.FreeAddr(alertmanagerPort)
	if err != nil {
		return "", err
	}
	p, err := s.spawn("Alertmanager", nil, bin, "--config.file="+filepath.Join(dir, "alertmanager.yml"),
		"--storage.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr, "--cluster.listen-address=")
	if err != nil {
		return "", err
	}
	if err := s.ready(ctx, "http://"+addr+"/-/ready", p); err != nil {
		return "", err
	}
	s.where = append(s.where, [2]string{"Alertmanager", "http://" + addr + "/#/alerts"})
	return addr, nil
}

// startPrometheus runs Prometheus scraping kpic serve, with the generated rules.
func (s *session) startPrometheus(ctx context.Context, deployDir, serveAddr, amAddr string) error {
	bin, err := exec.LookPath(s.c.prometheus)
	if err != nil || deployDir == "" {
		s.where = append(s.where, [2]string{"Prometheus", "not running: " + missing(err, installHint)})
		return nil
	}
	rules, err := filepath.Glob(filepath.Join(deployDir, "deploy", "prometheus", "*.rules.yml"))
	if err != nil {
		return fmt.Errorf("find generated rules: %w", err)
	}
	dir := filepath.Join(s.c.dir, "prometheus")
	if err := writePrometheusConfig(dir, stack.Prometheus{Interval: evaluation, Targets: []string{serveAddr},
		RuleFiles: absAll(rules), Alertmanager: amAddr}); err != nil {
		return err
	}
	s.backfill(ctx, filepath.Join(dir, "data"))
	addr := s.promAddr
	if addr == "" {
		if addr, err = stack.FreeAddr(prometheusPort); err != nil {
			return err
		}
	}
	p, err := s.spawn("Prometheus", nil, bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--storage.tsdb.retention.time=400d", "--web.listen-address="+addr)
	if err != nil {
		return err
	}
	if err := s.ready(ctx, "http://"+addr+"/-/ready", p); err != nil {
		return err
	}
	s.prometheusURL = "http://" + addr
	s.where = append(s.where, [2]string{"Prometheus", s.prometheusURL + "/graph?g0.expr=kpi%3Astatus&g0.tab=1"},
		[2]string{"  rules, alerts", s.prometheusURL + "/rules, " + s.prometheusURL + "/alerts"})
	return nil
}

// writePrometheusConfig writes a fresh prometheus.yml, dropping the data of an earlier run.
func writePrometheusConfig(dir string, p stack.Prometheus) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("reset prometheus folder: %w", err)
	}
	data, err := p.Config()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create prometheus folder: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "prometheus.yml"), data, 0o644)
}

func absAll(paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if a, err := filepath.Abs(p); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// missing explains why a program is not running.
func missing(lookErr error, hint string) string {
	if lookErr != nil {
		return "not installed; " + hint
	}
	return "no generated configuration (kpic build failed, see above)"
}
