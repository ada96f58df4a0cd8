//go:build unix

package stack

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// need returns a program's path, skipping (or failing when CI=true) when it is not installed.
func need(t *testing.T, program string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		msg := program + " is not installed: make install-prometheus (apt-get install -y prometheus prometheus-alertmanager)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

func TestStopLeavesNothingOfTheProcessGroupRunning(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild.pid")
	p, err := Start("sh", filepath.Join(dir, "sh.log"), nil, "/bin/sh", "-c", "sleep 300 & echo $! > "+pidFile+"; wait")
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	for range 100 {
		data, _ := os.ReadFile(pidFile)
		if pid, _ = strconv.Atoi(strings.TrimSpace(string(data))); pid > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if pid == 0 {
		t.Fatal("the child never started its own child")
	}
	if err := p.Stop(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if running(pid) {
		t.Errorf("the grandchild %d is still running after Stop", pid)
	}
}

// running reports whether pid is alive; a zombie waiting for init to reap it is not.
func running(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(after, "Z")
}

func TestWaitHTTPReportsAProcessThatExited(t *testing.T) {
	dir := t.TempDir()
	p, err := Start("failing", filepath.Join(dir, "failing.log"), nil, "/bin/sh", "-c", "echo cannot open database; exit 3")
	if err != nil {
		t.Fatal(err)
	}
	addr, err := FreeAddr(0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = WaitHTTP(ctx, "http://"+addr+"/", p)
	if err == nil || !strings.Contains(err.Error(), "cannot open database") || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("WaitHTTP = %v, want the exit status and the end of the log", err)
	}
}

func TestRewriteAPIURLFileReplacesEveryOccurrence(t *testing.T) {
	in := `global:
  slack_api_url_file: /etc/x
receivers:
  - name: a
    slack_configs:
      - api_url_file: /etc/alertmanager/secrets/slack_api_url
        channel: '#a'
  - name: b
    slack_configs:
      - api_url_file: /etc/alertmanager/secrets/slack_api_url
`
	out, err := RewriteAPIURLFile([]byte(in), "/tmp/demo/url")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "api_url_file: /tmp/demo/url"); n != 2 {
		t.Errorf("rewrote %d api_url_file keys, want 2:\n%s", n, out)
	}
	if !strings.Contains(string(out), "slack_api_url_file: /etc/x") || !strings.Contains(string(out), "channel: '#a'") {
		t.Errorf("other keys changed:\n%s", out)
	}
}

func TestPrometheusConfigPassesPromtool(t *testing.T) {
	promtool := need(t, "promtool")
	dir := t.TempDir()
	rules := filepath.Join(dir, "x.rules.yml")
	if err := os.WriteFile(rules, []byte("groups: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, am := range []string{"127.0.0.1:9093", ""} {
		data, err := Prometheus{Interval: 10 * time.Second, Targets: []string{"127.0.0.1:10863"}, RuleFiles: []string{rules}, Alertmanager: am}.Config()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "prometheus.yml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(promtool, "check", "config", path).CombinedOutput(); err != nil {
			t.Errorf("promtool check config (alertmanager %q): %v\n%s\n%s", am, err, out, data)
		}
	}
}
