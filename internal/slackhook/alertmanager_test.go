//go:build unix

package slackhook_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/demo/stack"
	"github.com/kpic/kpic/internal/slackhook"
)

// amConfig sends every alert to one Slack receiver whose URL is read from a file, as kpic's
// generated configuration does.
const amConfig = `route:
  receiver: slack
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
receivers:
  - name: slack
    slack_configs:
      - api_url_file: %s
        channel: '#test'
        send_resolved: true
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}'
        text: '{{ range .Alerts }}{{ .Annotations.description }}{{ end }}'
        color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'
`

// TestReceivesWhatAlertmanagerSends posts an alert to a real Alertmanager and waits for its
// Slack notification to reach the receiver.
func TestReceivesWhatAlertmanagerSends(t *testing.T) {
	bin, err := exec.LookPath("prometheus-alertmanager")
	if err != nil {
		msg := "prometheus-alertmanager is not installed: make install-prometheus (apt-get install -y prometheus-alertmanager)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	r := slackhook.New(nil, "")
	hook := httptest.NewServer(r)
	defer hook.Close()
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	writeFile(t, urlFile, hook.URL)
	writeFile(t, filepath.Join(dir, "am.yml"), fmt.Sprintf(amConfig, urlFile))
	addr := startAlertmanager(t, bin, dir)
	postAlert(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	m, err := r.Wait(ctx, func(m slackhook.Message) bool { return m.Contains("churn is 9%") })
	if err != nil {
		t.Fatal(err)
	}
	if m.Channel != "#test" || len(m.Attachments) != 1 || m.Attachments[0].Color != "danger" || m.Attachments[0].Title != "[FIRING] ChurnHigh" {
		t.Errorf("decoded %+v from %s", m, m.Raw)
	}
}

func startAlertmanager(t *testing.T, bin, dir string) string {
	t.Helper()
	addr, err := stack.FreeAddr(0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := stack.Start("Alertmanager", filepath.Join(dir, "am.log"), nil, bin, "--config.file="+filepath.Join(dir, "am.yml"),
		"--storage.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr, "--cluster.listen-address=")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop(5 * time.Second) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := stack.WaitHTTP(ctx, "http://"+addr+"/-/ready", p); err != nil {
		t.Fatal(err)
	}
	return addr
}

func postAlert(t *testing.T, addr string) {
	t.Helper()
	body := `[{"labels":{"alertname":"ChurnHigh","kpi":"churn_ratio"},"annotations":{"description":"churn is 9% against 5%"}}]`
	resp, err := http.Post("http://"+addr+"/api/v2/alerts", "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("post alert: %s", resp.Status)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
