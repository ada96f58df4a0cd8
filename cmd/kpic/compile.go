package main

import (
	"fmt"
	"sync"

	"github.com/kpic/kpic/internal/dashboard"
	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/deploy"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/promrules"
)

// compile runs every compiler on the validated model loaded from dir and returns all generated
// files, sorted. The rule and dashboard compilers are independent and run side by side; the
// packaging takes both.
func compile(m *definition.Model, dir string, warn func(string)) ([]output.File, error) {
	var rules compiledRules
	var wg sync.WaitGroup
	wg.Go(func() { rules = compileRules(m) })
	boards, err := dashboard.Build(m)
	wg.Wait()
	if rules.err != nil {
		return nil, fmt.Errorf("compile rules: %w", rules.err)
	}
	if err != nil {
		return nil, fmt.Errorf("compile dashboards: %w", err)
	}
	defs, err := deploy.Definitions(dir, m.Files)
	if err != nil {
		return nil, err
	}
	in := deploy.Inputs{Rules: rules.groups, RuleFiles: rules.files, Dashboards: boards, Definitions: defs, Warn: warn}
	packaged, err := deploy.Package(m, in)
	if err != nil {
		return nil, fmt.Errorf("package deploy files: %w", err)
	}
	files := make([]output.File, 0, len(rules.files)+len(boards)+len(packaged))
	files = append(append(append(files, rules.files...), boards...), packaged...)
	output.Sort(files)
	return files, nil
}

// compiledRules are the rule groups of each rule file and the files written from them.
type compiledRules struct {
	groups []promrules.RuleFile
	files  []output.File
	err    error
}

func compileRules(m *definition.Model) compiledRules {
	groups, err := promrules.Groups(m)
	if err != nil {
		return compiledRules{err: err}
	}
	files := make([]output.File, 0, len(groups))
	for _, rf := range groups {
		files = append(files, output.File{Path: rf.Path, Data: promrules.Marshal(rf.Groups)})
	}
	return compiledRules{groups: groups, files: files}
}
