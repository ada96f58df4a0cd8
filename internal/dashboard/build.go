// Package dashboard compiles the validated KPI model into Grafana dashboards: an executive
// scorecard, a KPI detail dashboard and one dashboard per team, plus the file-provisioning
// provider that loads them.
package dashboard

import (
	"fmt"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/spec"
)

// Paths of the generated files, relative to the output root.
const (
	Dir           = "dashboards"
	ScorecardPath = Dir + "/scorecard.json"
	DetailPath    = Dir + "/kpi.json"
	TeamsDir      = Dir + "/teams"
	ProviderPath  = "deploy/grafana/provisioning/dashboards/kpic.yaml"
)

// Build returns the dashboards of m and their provisioning file, sorted by path. It is a pure
// function of m: the same model always gives byte-identical files.
func Build(m *spec.Model) ([]output.File, error) {
	ix := index(m)
	boards := map[string]*sdk.Board{ScorecardPath: scorecard(ix), DetailPath: detail(ix)}
	for _, t := range m.Teams {
		boards[TeamsDir+"/"+t.Name+".json"] = team(ix, t)
	}
	files := make([]output.File, 0, len(boards)+1)
	for path, b := range boards {
		data, err := render(b)
		if err != nil {
			return nil, fmt.Errorf("dashboard %s: %w", path, err)
		}
		files = append(files, output.File{Path: path, Data: data})
	}
	files = append(files, output.File{Path: ProviderPath, Data: provider(m.Settings.Grafana)})
	output.Sort(files)
	return files, nil
}
