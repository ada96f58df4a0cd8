package deploy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// slackData is a notification as Alertmanager hands it to templates: one firing critical alert
// of a KPI with the labels and annotations the rule compiler writes.
func slackData(status string) map[string]any {
	labels := map[string]string{"alertname": "KPIOffTarget", "kpi": "mrr_dollars", "objective": "grow_revenue", "team": "growth", "severity": "critical"}
	annotations := map[string]string{
		"summary":       "Monthly recurring revenue is red",
		"description":   "85000 dollars against a target of 104000 dollars",
		"runbook_url":   "https://wiki.example.com/kpis/mrr",
		"dashboard_url": "http://grafana.example.com/d/kpic-kpi/kpi?var-kpi=mrr_dollars",
	}
	return map[string]any{
		"receiver": "kpic-growth", "status": status,
		"alerts":       []any{map[string]any{"status": status, "labels": labels, "annotations": annotations, "startsAt": "2026-03-01T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z"}},
		"groupLabels":  map[string]string{"kpi": "mrr_dollars", "alertname": "KPIOffTarget"},
		"commonLabels": labels, "commonAnnotations": annotations, "externalURL": "http://alertmanager:9093",
	}
}

// renderSlack renders the named template of kpic.tmpl with amtool template render.
func renderSlack(t *testing.T, name, status string) string {
	t.Helper()
	dir := writeAlertmanager(t)
	data, err := json.Marshal(slackData(status))
	if err != nil {
		t.Fatal(err)
	}
	dataFile := filepath.Join(dir, "data.json")
	if err := os.WriteFile(dataFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return amtool(t, "template", "render", "--template.glob="+filepath.Join(dir, "kpic.tmpl"),
		"--template.text="+use(name), "--template.data="+dataFile)
}

func TestSlackMessageShowsTheKPIAgainstItsTargetWithLinks(t *testing.T) {
	tests := []struct {
		name, template, status string
		want                   []string
	}{
		{"the title says firing, how many and the KPI", tmplTitle, "firing", []string{"[FIRING:1]", "Monthly recurring revenue is red"}},
		{"the title says resolved", tmplTitle, "resolved", []string{"[RESOLVED]", "Monthly recurring revenue"}},
		{"the text shows value against target, severity, objective and owner", tmplText, "firing",
			[]string{"85000 dollars against a target of 104000 dollars", "*Severity:* critical", "*Objective:* grow_revenue", "*Owner:* growth"}},
		{"the text links the dashboard and the runbook", tmplText, "firing",
			[]string{"<http://grafana.example.com/d/kpic-kpi/kpi?var-kpi=mrr_dollars|Dashboard>", "<https://wiki.example.com/kpis/mrr|Runbook>"}},
		{"a critical alert is red", tmplColor, "firing", []string{"danger"}},
		{"a resolved alert is green", tmplColor, "resolved", []string{"good"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderSlack(t, tt.template, tt.status)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("rendered %s lacks %q:\n%s", tt.template, w, got)
				}
			}
		})
	}
}
