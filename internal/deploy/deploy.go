// Package deploy packages what the other compilers produced for the ways our users deploy it:
// Alertmanager routes to Slack, Mimir and Thanos rule files, a Kustomize base for Kubernetes.
package deploy

import (
	"fmt"
	"path"
	"strings"

	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/spec"
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

// Build returns the packaging files for m: deploy/alertmanager, deploy/mimir or deploy/thanos
// (by settings.rules.format) and deploy/kubernetes. generated holds the rule files and
// dashboards of the other compilers and the definition files under DefinitionsPrefix.
func Build(m *spec.Model, generated []output.File) ([]output.File, error) {
	in, err := collect(m, generated)
	if err != nil {
		return nil, err
	}
	var out []output.File
	steps := []func(*spec.Model, inputs) ([]output.File, error){alertmanagerFiles, ruleFormatFiles, kubernetesFiles}
	for _, step := range steps {
		files, err := step(m, in)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	output.Sort(out)
	return out, nil
}

// inputs are the generated files Build packages, sorted by path.
type inputs struct {
	rules       []ruleFile
	dashboards  []output.File
	definitions []output.File
}

// collect sorts generated into rule files (parsed), dashboards and definitions.
func collect(m *spec.Model, generated []output.File) (inputs, error) {
	var in inputs
	sorted := append([]output.File(nil), generated...)
	output.Sort(sorted)
	for _, f := range sorted {
		switch {
		case strings.HasPrefix(f.Path, prometheusDir) && strings.HasSuffix(f.Path, rulesSuffix):
			rf, err := parseRuleFile(f)
			if err != nil {
				return inputs{}, err
			}
			in.rules = append(in.rules, rf)
		case strings.HasPrefix(f.Path, dashboardsDir) && path.Ext(f.Path) == ".json":
			in.dashboards = append(in.dashboards, f)
		case strings.HasPrefix(f.Path, DefinitionsPrefix):
			in.definitions = append(in.definitions, f)
		}
	}
	return in, checkDefinitions(m, in.definitions)
}

// checkDefinitions makes sure every loaded definition file reached Build, so that the ConfigMap
// kpic serve reads in Kubernetes holds the same definitions the rules were compiled from.
func checkDefinitions(m *spec.Model, defs []output.File) error {
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
