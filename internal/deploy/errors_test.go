package deploy

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
)

func TestBuildRejectsBadInput(t *testing.T) {
	dup := output.File{Path: "deploy/prometheus/other.rules.yml", Data: []byte("groups:\n  - name: kpic_data\n    rules:\n      - record: x:y\n        expr: up\n")}
	tests := []struct {
		name   string
		model  func(*definition.Model)
		extra  []output.File
		drop   string
		errHas string
	}{
		{name: "an unknown rules format is rejected", model: func(m *definition.Model) { m.Settings.Rules.Format = "cortex" },
			errHas: `unknown rules format "cortex"`},
		{name: "a rule file Prometheus would reject is reported with its path",
			extra:  []output.File{{Path: "deploy/prometheus/bad.rules.yml", Data: []byte("groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n")}},
			errHas: "parse deploy/prometheus/bad.rules.yml"},
		{name: "a definition file missing from the build is named",
			drop: "kpis/settings.yaml", errHas: "definition file settings.yaml was not passed"},
		{name: "a group name used in two rule files cannot share a mimir namespace",
			model: func(m *definition.Model) { m.Settings.Rules.Format = FormatMimir }, extra: []output.File{dup},
			errHas: `rule group "kpic_data" is in both`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := smallModel(t, "")
			if tt.model != nil {
				tt.model(m)
			}
			var in []output.File
			for _, f := range readTree(t, filepath.Join("testdata", "small")) {
				if f.Path != tt.drop {
					in = append(in, f)
				}
			}
			_, err := Build(m, append(in, tt.extra...))
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("Build error = %v, want one containing %q", err, tt.errHas)
			}
		})
	}
}

func TestDNSName(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"snake case becomes dashes":             {"team_growth", "team-growth"},
		"upper case is lowered":                 {"MRR_Dollars", "mrr-dollars"},
		"slashes and leading marks are dropped": {"_teams/growth_", "teams-growth"},
	}
	for name, tt := range tests {
		if got := dnsName(tt.in); got != tt.want {
			t.Errorf("%s: dnsName(%q) = %q, want %q", name, tt.in, got, tt.want)
		}
	}
}
