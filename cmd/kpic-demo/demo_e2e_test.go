//go:build e2e && unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDemoTurnsChurnRedAndStopsCleanly runs the demo as `make demo` does, waits for the churn
// alert's Slack message in its output (the demo's promise: within about two minutes), stops it
// as Ctrl-C does, and checks nothing it started still answers.
func TestDemoTurnsChurnRedAndStopsCleanly(t *testing.T) {
	for _, p := range []string{"prometheus", "prometheus-alertmanager"} {
		if _, err := exec.LookPath(p); err != nil {
			msg := p + " is not installed: make install-prometheus"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	c := config{dir: t.TempDir(), kpis: "../../kpis", kpic: kpicBinary(t), prometheus: "prometheus",
		alertmanager: "prometheus-alertmanager", seed: 1}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- runDemo(ctx, c, out) }()

	churn := regexp.MustCompile(`(?s)slack message #growth-kpis.*?Customer churn rate`)
	// Seeding and backfilling a year of history come first (about a minute each on a laptop).
	deadline := time.After(8 * time.Minute)
	for !churn.MatchString(out.String()) {
		select {
		case err := <-done:
			t.Fatalf("the demo stopped on its own (%v):\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("no churn message in #growth-kpis within 8 minutes; the demo printed:\n%s", out.String())
		case <-time.After(time.Second):
		}
	}
	checkScorecard(t, out.String())
	checkYearOfHistory(t, out.String())
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the demo stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the demo did not stop within 30s of Ctrl-C")
	}
	for _, u := range regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindAllString(out.String(), -1) {
		if resp, err := http.Get(u); err == nil {
			_ = resp.Body.Close()
			t.Errorf("%s still answers after the demo stopped", u)
		}
	}
}

// kpicBinary builds kpic for the demo, or uses $KPIC_BIN.
func kpicBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("KPIC_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "kpic")
	if out, err := exec.Command("go", "build", "-o", bin, "../kpic").CombinedOutput(); err != nil {
		t.Fatalf("build kpic: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer collects the demo's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Clone(s.b.String())
}

// checkScorecard opens the scorecard URL the demo printed and expects churn red on it.
func checkScorecard(t *testing.T, printed string) {
	t.Helper()
	m := regexp.MustCompile(`Open the scorecard: (http://\S+)`).FindStringSubmatch(printed)
	if m == nil {
		t.Errorf("the demo printed no scorecard URL:\n%s", printed)
		return
	}
	resp, err := http.Get(m[1])
	if err != nil {
		t.Errorf("GET %s: %v", m[1], err)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d %v", m[1], resp.StatusCode, err)
		return
	}
	if !strings.Contains(string(body), `data-kpi="churn_ratio" data-status="red"`) {
		t.Errorf("the scorecard at %s does not show churn_ratio red", m[1])
	}
}

// checkYearOfHistory queries the demo's Prometheus 300 days back: the backfilled blocks must
// answer with the MRR gauge and its kpi:value and kpi:status.
func checkYearOfHistory(t *testing.T, printed string) {
	t.Helper()
	m := regexp.MustCompile(`(http://127\.0\.0\.1:\d+)/graph`).FindStringSubmatch(printed)
	if m == nil {
		t.Errorf("the demo printed no Prometheus URL:\n%s", printed)
		return
	}
	checkRulesHealthy(t, m[1])
	at := strconv.FormatInt(time.Now().AddDate(0, 0, -300).Unix(), 10)
	for _, q := range []string{`business_mrr_dollars`, `kpi:value{kpi="mrr_dollars"}`, `kpi:status{kpi="mrr_dollars"}`} {
		resp, err := http.Get(m[1] + "/api/v1/query?time=" + at + "&query=" + url.QueryEscape(q))
		if err != nil {
			t.Errorf("query %s: %v", q, err)
			continue
		}
		var body struct {
			Data struct {
				Result []json.RawMessage `json:"result"`
			} `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		_ = resp.Body.Close()
		if err != nil || len(body.Data.Result) != 1 {
			t.Errorf("%s 300 days ago: %d series (%v), want one from the backfilled history", q, len(body.Data.Result), err)
		}
	}
}

// checkRulesHealthy fails on any rule whose last evaluation failed: a backfilled block ending
// after the live data's start would make every live rule fail with "out of bounds".
func checkRulesHealthy(t *testing.T, base string) {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/rules")
	if err != nil {
		t.Errorf("rules: %v", err)
		return
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Groups []struct {
				Name  string
				Rules []struct{ Name, Health, LastError string }
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Errorf("rules: %v", err)
		return
	}
	for _, g := range body.Data.Groups {
		for _, r := range g.Rules {
			if r.Health == "err" {
				t.Errorf("group %s rule %s: %s", g.Name, r.Name, r.LastError)
			}
		}
	}
}
