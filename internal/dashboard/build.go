// Package dashboard compiles the validated KPI model into Grafana dashboards: an executive
// scorecard, a KPI detail dashboard and one dashboard per team, plus the file-provisioning
// provider that loads them.
package dashboard

import (
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
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
	boards := map[string]*sdk.Board{ScorecardPath: scorecard(ix), DetailPath: detail(ix)}
	for _, t := range m.Teams {
		boards[TeamsDir+"/"+t.Name+".json"] = team(ix, t)
	}
	for _, o := range m.Objectives {
		boards[ObjectivesDir+"/"+o.Name+".json"] = objectiveBoard(ix, o)
	}
	files, err := renderAll(boards)
	if err != nil {
		return nil, err
	}
	files = append(files, output.File{Path: ProviderPath, Data: provider(m.Settings.Grafana)})
	output.Sort(files)
	return files, nil
}

// renderAll renders the boards on every core; each board renders alone, so the bytes do not
// depend on the order.
func renderAll(boards map[string]*sdk.Board) ([]output.File, error) {
	paths := slices.Sorted(maps.Keys(boards))
	files := make([]output.File, len(paths)+1)
	errs := make([]error, len(paths))
	next := make(chan int, len(paths))
	for i := range paths {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	r := newRenderer()
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Go(func() {
			for i := range next {
				data, err := r.render(boards[paths[i]])
				if err != nil {
					errs[i] = fmt.Errorf("dashboard %s: %w", paths[i], err)
				}
				files[i] = output.File{Path: paths[i], Data: data}
			}
		})
	}
	wg.Wait()
	return files[:len(paths)], errors.Join(errs...)
}
