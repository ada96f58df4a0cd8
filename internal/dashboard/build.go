// Package dashboard compiles the validated KPI model into Grafana dashboards: an executive
// scorecard, a KPI detail dashboard and one dashboard per team, plus the file-provisioning
// provider that loads them.
package dashboard

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/parallel"
)

// Paths of the generated files, relative to the output root.
const (
	Dir           = "dashboards"
	ScorecardPath = Dir + "/scorecard.json"
	DetailPath    = Dir + "/kpi.json"
	TeamsDir      = Dir + "/teams"
	ObjectivesDir = Dir + "/objectives"
	ProviderPath  = "deploy/grafana/provisioning/dashboards/kpic.yaml"
)

// Build returns the dashboards of m and their provisioning file, sorted by path. It is a pure
// function of m: the same model always gives byte-identical files.
func Build(m *definition.Model) ([]output.File, error) {
	ix := index(m)
	boards := []boardJob{{ScorecardPath, func() *sdk.Board { return scorecard(ix) }},
		{DetailPath, func() *sdk.Board { return detail(ix) }}}
	for _, t := range m.Teams {
		boards = append(boards, boardJob{TeamsDir + "/" + t.Name + ".json", func() *sdk.Board { return team(ix, t) }})
	}
	for _, o := range m.Objectives {
		boards = append(boards, boardJob{ObjectivesDir + "/" + o.Name + ".json", func() *sdk.Board { return objectiveBoard(ix, o) }})
	}
	files, err := renderAll(boards)
	if err != nil {
		return nil, err
	}
	files = append(files, output.File{Path: ProviderPath, Data: provider(m.Settings.Grafana)})
	output.Sort(files)
	return files, nil
}

// boardJob builds the board written at path.
type boardJob struct {
	path  string
	board func() *sdk.Board
}

// renderAll builds and renders the boards on every core; each board builds from the read-only
// model and renders alone, so the bytes do not depend on the order. Building them here rather
// than before rendering keeps all cores busy: building the 2,000 objective boards of 10,000
// KPIs one by one took a third of the dashboards' time.
func renderAll(boards []boardJob) ([]output.File, error) {
	slices.SortFunc(boards, func(a, b boardJob) int { return strings.Compare(a.path, b.path) })
	files := make([]output.File, len(boards), len(boards)+1)
	errs := make([]error, len(boards))
	r := newRenderer()
	parallel.Each(len(boards), func(i int) {
		data, err := r.render(boards[i].board())
		if err != nil {
			errs[i] = fmt.Errorf("dashboard %s: %w", boards[i].path, err)
		}
		files[i] = output.File{Path: boards[i].path, Data: data}
	})
	return files, errors.Join(errs...)
}
