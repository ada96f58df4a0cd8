// Package deploy packages what the other compilers produced for the ways our users deploy it:
// Alertmanager routes to Slack, Mimir and Thanos rule files, a Kustomize base for Kubernetes.
package deploy

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/promrules"
)

// DefaultPort is where kpic serve listens in the generated Kubernetes manifests; it matches the
// exporter's default --web.listen-address.
const DefaultPort = 10863

// DefinitionsPrefix marks the definition files passed to Build in generated (see Definitions):
// the Kubernetes base ships them in the exporter's ConfigMap.
const DefinitionsPrefix = "kpis/"

// Paths of the inputs Build reads from generated.
const (
	prometheusDir = "deploy/prometheus/"
	rulesSuffix   = ".rules.yml"
	dashboardsDir = "dashboards/"
)

// Inputs are what Package packages: the rule groups of the rule compiler (promrules.Groups),
// the files of the dashboard compiler (only dashboards/*.json are used) and the definition
// files under DefinitionsPrefix (see Definitions).
type Inputs struct {
	Rules []promrules.RuleFile
	// RuleFiles optionally holds the rule files written from Rules by promrules.Marshal, by
	// their RuleFile.Path; their text is reused rather than written again.
	RuleFiles   []output.File
	Dashboards  []output.File
	Definitions []output.File
	// Warn, when set, is told of what Package writes but a consumer will refuse: a dashboard
	// too large for the ConfigMap that carries it.
	Warn func(msg string)
}

// Package returns the packaging files for m: deploy/alertmanager, deploy/mimir or deploy/thanos
// (by settings.rules.format) and deploy/kubernetes. It takes the rule groups as compiled, so
// nothing is parsed again.
func Package(m *definition.Model, in Inputs) ([]output.File, error) {
	sorted, err := sortInputs(m, in)
	if err != nil {
		return nil, err
	}
	var out []output.File
	steps := []func(*definition.Model, inputs) ([]output.File, error){alertmanagerFiles, ruleFormatFiles, kubernetesFiles}
	for _, step := range steps {
		files, err := step(m, sorted)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	output.Sort(out)
	return out, nil
}

// Build is Package for callers that hold generated files only: generated holds the rule files
// and dashboards of the other compilers and the definition files under DefinitionsPrefix. It
// parses the rule files as Prometheus would load them; Package skips that.
func Build(m *definition.Model, generated []output.File) ([]output.File, error) {
	var in Inputs
	for _, f := range generated {
		switch {
		case strings.HasPrefix(f.Path, prometheusDir) && strings.HasSuffix(f.Path, rulesSuffix):
			rf, err := parseRuleFile(f)
			if err != nil {
				return nil, err
			}
			in.Rules = append(in.Rules, rf)
		case strings.HasPrefix(f.Path, DefinitionsPrefix):
			in.Definitions = append(in.Definitions, f)
		default:
			in.Dashboards = append(in.Dashboards, f)
		}
	}
	return Package(m, in)
}

// inputs are the inputs Package packages, each sorted by path.
type inputs struct {
	rules       []ruleFile
	dashboards  []dashboard
	definitions []output.File
	warn        func(msg string) // Inputs.Warn, never nil
}

// sortInputs keeps the dashboards among in.Dashboards, sorts everything by path and checks
// that every definition file is there.
func sortInputs(m *definition.Model, in Inputs) (inputs, error) {
	var out inputs
	rules := append([]promrules.RuleFile(nil), in.Rules...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Path < rules[j].Path })
	written := make(map[string][]byte, len(in.RuleFiles))
	for _, f := range in.RuleFiles {
		written[f.Path] = f.Data
	}
	for _, rf := range rules {
		out.rules = append(out.rules, ruleFile{
			name:   strings.TrimSuffix(path.Base(rf.Path), rulesSuffix),
			groups: rf.Groups,
			body:   groupsBody(rf.Groups, written[rf.Path]),
		})
	}
	var boards []output.File
	for _, f := range in.Dashboards {
		if strings.HasPrefix(f.Path, dashboardsDir) && path.Ext(f.Path) == ".json" {
			boards = append(boards, f)
		}
	}
	output.Sort(boards)
	out.dashboards = dashboards(boards)
	out.warn = in.Warn
	if out.warn == nil {
		out.warn = func(string) {}
	}
	out.definitions = append([]output.File(nil), in.Definitions...)
	output.Sort(out.definitions)
	return out, checkDefinitions(m, out.definitions)
}

// checkDefinitions makes sure every loaded definition file reached Build, so that the ConfigMap
// kpic serve reads in Kubernetes holds the same definitions the rules were compiled from.
func checkDefinitions(m *definition.Model, defs []output.File) error {
	have := make(map[string]bool, len(defs))
	for _, f := range defs {
		have[strings.TrimPrefix(f.Path, DefinitionsPrefix)] = true
	}
	for _, name := range m.Files {
		if !have[name] {
			return fmt.Errorf("deploy: definition file %s was not passed to the build", name)
		}
	}
	return nil
}
