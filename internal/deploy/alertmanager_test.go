package deploy

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// writeAlertmanager writes the generated Alertmanager files into a temporary folder and returns
// that folder.
func writeAlertmanager(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := buildSmall(t, "")
	for _, name := range []string{"alertmanager.yml", "kpic.tmpl"} {
		if err := os.WriteFile(filepath.Join(dir, name), find(t, files, "deploy/alertmanager/"+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// amtool runs Debian's amtool (Alertmanager 0.25), skipping the test when it is not installed
// (failing on CI), and returns its output.
func amtool(t *testing.T, args ...string) string {
	t.Helper()
	p, err := exec.LookPath("amtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("amtool not found on CI: apt-get install -y prometheus-alertmanager")
		}
		t.Skip("amtool not found; install it with apt-get install -y prometheus-alertmanager")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, p, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("amtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestAlertmanagerConfigPassesAmtoolCheckConfig(t *testing.T) {
	out := amtool(t, "check-config", filepath.Join(writeAlertmanager(t), "alertmanager.yml"))
	if !strings.Contains(out, "SUCCESS") || !strings.Contains(out, "1 templates") {
		t.Errorf("amtool check-config did not load the config and its template:\n%s", out)
	}
}

func TestAlertmanagerRoutesEachTeamsKPIAlertsToItsChannel(t *testing.T) {
	cfg := "--config.file=" + filepath.Join(writeAlertmanager(t), "alertmanager.yml")
	tests := []struct {
		name   string
		labels []string
		want   string
	}{
		{"a growth KPI alert goes to the growth channel", []string{"kpi=mrr", "team=growth"}, "kpic-growth"},
		{"a support KPI alert goes to the support channel", []string{"kpi=nps", "team=support"}, "kpic-support"},
		{"a KPI alert of a team without a route still reaches Slack", []string{"kpi=x", "team=unknown"}, receiverDefault},
		{"an alert without a kpi label is not a KPI alert", []string{"alertname=Up", "team=growth"}, receiverDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := strings.Split(strings.TrimSpace(amtool(t, append([]string{"config", "routes", "test", cfg}, tt.labels...)...)), "\n")
			got := lines[len(lines)-1] // after amtool's warnings
			if got != tt.want {
				t.Fatalf("routed to %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAlertmanagerGroupsByKPIAndInhibitsWarningsWhileCritical(t *testing.T) {
	var cfg amConfig
	dec := yaml.NewDecoder(strings.NewReader(string(find(t, buildSmall(t, ""), "deploy/alertmanager/alertmanager.yml"))))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	kpi := cfg.Route.Routes[0]
	if strings.Join(kpi.GroupBy, ",") != "kpi,alertname" || kpi.GroupWait != "30s" || kpi.RepeatInterval != "4h" {
		t.Errorf("KPI route groups by %v after %s, repeats after %s", kpi.GroupBy, kpi.GroupWait, kpi.RepeatInterval)
	}
	r := cfg.InhibitRules
	if len(r) != 1 || !contains(r[0].SourceMatchers, `severity="critical"`) || !contains(r[0].TargetMatchers, `severity="warning"`) || strings.Join(r[0].Equal, ",") != "kpi,country,region" {
		t.Errorf("inhibit rules %+v do not mute a KPI's warnings while it is critical", r)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestSlackWebhookURLIsReadFromAFileAndResolvedAlertsAreSent(t *testing.T) {
	var cfg amConfig
	if err := yaml.Unmarshal(find(t, buildSmall(t, ""), "deploy/alertmanager/alertmanager.yml"), &cfg); err != nil {
		t.Fatal(err)
	}
	for _, r := range cfg.Receivers {
		for _, s := range r.SlackConfigs {
			if s.APIURLFile != "/etc/alertmanager/secrets/slack_api_url" || !s.SendResolved {
				t.Errorf("receiver %s: api_url_file %q, send_resolved %t", r.Name, s.APIURLFile, s.SendResolved)
			}
		}
	}
}
