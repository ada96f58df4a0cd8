//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/kpic/kpic/internal/demo/stack"
	"github.com/kpic/kpic/internal/slackhook"
)

// Preferred ports, the usual ones of each program; a busy one is replaced by a free one.
const (
	servePort        = 10863
	prometheusPort   = 9090
	alertmanagerPort = 9093
	webhookPort      = 10866
)

// startTimeout bounds how long each program may take to become ready.
const startTimeout = 60 * time.Second

// start runs the webhook receiver, kpic serve and, when installed, Alertmanager and Prometheus.
func (s *session) start(ctx context.Context) error {
	hookURL, err := s.startWebhook()
	if err != nil {
		return err
	}
	if err := s.reservePrometheus(); err != nil {
		return err
	}
	serveAddr, err := s.startServe(ctx)
	if err != nil {
		return err
	}
	deployDir := s.build(ctx)
	amAddr, err := s.startAlertmanager(ctx, deployDir, hookURL)
	if err != nil {
		return err
	}
	if err := s.startPrometheus(ctx, deployDir, serveAddr, amAddr); err != nil {
		return err
	}
	s.summary()
	return nil
}

// startWebhook serves the local Slack webhook in-process and returns its URL.
func (s *session) startWebhook() (string, error) {
	addr, err := stack.FreeAddr(webhookPort)
	if err != nil {
		return "", err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("start slack webhook: %w", err)
	}
	srv := &http.Server{Handler: slackhook.New(s.out, s.c.slackURL), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	s.stops = append(s.stops, func() error { return shutdown(srv) })
	url := "http://" + addr + "/services/demo"
	forward := "messages print here"
	if s.c.slackURL != "" {
		forward += " and go on to Slack (SLACK_WEBHOOK_URL)"
	}
	s.where = append(s.where, [2]string{"Slack webhook", url + " (" + forward + ")"})
	return url, nil
}

func shutdown(srv *http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// reservePrometheus picks Prometheus' address before kpic serve starts, so that kpic serve's
// scorecard can read it; without Prometheus installed there is no scorecard.
func (s *session) reservePrometheus() error {
	if _, err := exec.LookPath(s.c.prometheus); err != nil {
		return nil
	}
	addr, err := stack.FreeAddr(prometheusPort)
	s.promAddr = addr
	return err
}

// startServe runs kpic serve on the demo database, with the scorecard when Prometheus runs.
func (s *session) startServe(ctx context.Context) (string, error) {
	addr, err := stack.FreeAddr(servePort)
	if err != nil {
		return "", err
	}
	args := []string{"serve", "--config.dir=" + s.c.kpis, "--web.listen-address=" + addr}
	if s.promAddr != "" {
		args = append(args, "--prometheus.url=http://"+s.promAddr)
	}
	p, err := s.spawn("kpic serve", []string{"KPIC_DEMO_DB=" + s.db}, s.c.kpic, args...)
	if err != nil {
		return "", fmt.Errorf("%w (make demo builds it with: go build -o .demo/kpic ./cmd/kpic)", err)
	}
	if err := s.ready(ctx, "http://"+addr+"/metrics", p); err != nil {
		return "", err
	}
	if s.promAddr != "" {
		s.scorecardURL = "http://" + addr + "/"
		s.where = append(s.where, [2]string{"scorecard", s.scorecardURL})
	}
	s.where = append(s.where, [2]string{"kpic serve", "http://" + addr + "/metrics"})
	return addr, nil
}

// build compiles the definitions into the demo folder and returns the folder holding deploy/.
// When kpic build fails it falls back on the committed deploy/ in the current folder.
func (s *session) build(ctx context.Context) string {
	out := filepath.Join(s.c.dir, "build")
	cmd := exec.CommandContext(ctx, s.c.kpic, "build", "--out="+out, s.c.kpis)
	cmd.Env = append(os.Environ(), "KPIC_DEMO_DB="+s.db)
	msg, err := cmd.CombinedOutput()
	if err == nil {
		return out
	}
	fmt.Fprintf(s.out, "kpic build failed (%v): %s\n", err, msg)
	if _, err := os.Stat(filepath.Join("deploy", "prometheus")); err == nil {
		fmt.Fprintln(s.out, "Using the committed deploy/ instead.")
		return "."
	}
	return ""
}

// spawn starts a child that logs to the demo's logs folder and is stopped with the demo.
func (s *session) spawn(name string, env []string, bin string, args ...string) (*stack.Proc, error) {
	log := filepath.Join(s.c.dir, "logs", filepath.Base(bin)+".log")
	p, err := stack.Start(name, log, env, bin, args...)
	if err != nil {
		return nil, err
	}
	s.procs = append(s.procs, p)
	return p, nil
}

// ready waits until url answers 200.
func (s *session) ready(ctx context.Context, url string, p *stack.Proc) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	err := stack.WaitHTTP(ctx, url, p)
	if errors.Is(err, context.Canceled) {
		return context.Canceled
	}
	return err
}
