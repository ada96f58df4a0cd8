package dashboard

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kpic/kpic/internal/definition"
)

// TestEveryUnitHasAGrafanaUnit keeps the unit table in step with the units users may write.
func TestEveryUnitHasAGrafanaUnit(t *testing.T) {
	for _, u := range definition.Units {
		if _, ok := grafanaUnits[u]; !ok {
			t.Errorf("unit %q has no Grafana unit", u)
		}
	}
	if len(grafanaUnits) != len(definition.Units) {
		t.Errorf("%d Grafana units for %d kpic units", len(grafanaUnits), len(definition.Units))
	}
}

// providerFile is the part of Grafana's provisioning file the tests read.
type providerFile struct {
	APIVersion int `yaml:"apiVersion"`
	Providers  []struct {
		Name    string `yaml:"name"`
		Type    string `yaml:"type"`
		Folder  string `yaml:"folder"`
		Options struct {
			Path            string `yaml:"path"`
			FoldersFromFile bool   `yaml:"foldersFromFilesStructure"`
		} `yaml:"options"`
	} `yaml:"providers"`
}

func TestProvider(t *testing.T) {
	tests := map[string]struct {
		folder     string
		fromFiles  bool
		wantFolder string
	}{
		"a configured folder holds every dashboard":     {folder: `KPIs "2026"`, wantFolder: `KPIs "2026"`},
		"without a folder, folders follow the files":    {fromFiles: true},
		"a folder with non-ASCII letters is kept as is": {folder: "Kennzahlen für Märkte", wantFolder: "Kennzahlen für Märkte"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var f providerFile
			if err := yaml.Unmarshal(provider(definition.Grafana{Folder: tt.folder}), &f); err != nil {
				t.Fatal(err)
			}
			if f.APIVersion != 1 || len(f.Providers) != 1 || f.Providers[0].Type != "file" {
				t.Fatalf("unexpected provisioning file %+v", f)
			}
			p := f.Providers[0]
			if p.Folder != tt.wantFolder || p.Options.FoldersFromFile != tt.fromFiles || p.Options.Path != ProvisionedPath {
				t.Errorf("provider %+v, want folder %q, foldersFromFilesStructure %v", p, tt.wantFolder, tt.fromFiles)
			}
		})
	}
}
