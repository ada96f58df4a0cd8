package main

import (
	"fmt"

	"github.com/kpic/kpic/internal/dashboard"
	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/deploy"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/promrules"
)

// compile runs every compiler on the validated model loaded from dir and returns all generated
// files, sorted.
func compile(m *definition.Model, dir string) ([]output.File, error) {
	ruleFiles, err := promrules.Groups(m)
	if err != nil {
		return nil, fmt.Errorf("compile rules: %w", err)
	}
	boards, err := dashboard.Build(m)
	if err != nil {
		return nil, fmt.Errorf("compile dashboards: %w", err)
	}
	defs, err := deploy.Definitions(dir, m.Files)
	if err != nil {
		return nil, err
	}
	files := make([]output.File, 0, len(ruleFiles)+len(boards))
	for _, rf := range ruleFiles {
		files = append(files, output.File{Path: rf.Path, Data: promrules.Marshal(rf.Groups)})
	}
	in := deploy.Inputs{Rules: ruleFiles, RuleFiles: files, Dashboards: boards, Definitions: defs}
	files = append(files, boards...)
	packaged, err := deploy.Package(m, in)
	if err != nil {
		return nil, fmt.Errorf("package deploy files: %w", err)
	}
	files = append(files, packaged...)
	output.Sort(files)
	return files, nil
}
