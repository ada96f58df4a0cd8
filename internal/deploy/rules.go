package deploy

import (
	"errors"
	"fmt"
	"log/slog"
	"path"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/spec"
)

// Rule file formats of settings.rules.format.
const (
	FormatPrometheus = "prometheus"
	FormatMimir      = "mimir"
	FormatThanos     = "thanos"
)

// ruleFile is one generated Prometheus rule file, parsed; name is its base without .rules.yml.
type ruleFile struct {
	name   string
	groups []rulefmt.RuleGroup
}

// parseRuleFile validates a rule file as Prometheus would load it, so that what we repackage is
// what promtool checked.
func parseRuleFile(f output.File) (ruleFile, error) {
	p := parser.NewParser(parser.Options{})
	groups, errs := rulefmt.Parse(f.Data, false, model.UTF8Validation, p, slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		return ruleFile{}, fmt.Errorf("deploy: parse %s: %w", f.Path, errors.Join(errs...))
	}
	name := strings.TrimSuffix(path.Base(f.Path), rulesSuffix)
	return ruleFile{name: name, groups: groups.Groups}, nil
}

// ruleFormatFiles writes the rule groups again for the ruler settings.rules.format names. The
// Prometheus files stay either way: the PrometheusRule resources, promtool and the demo use them.
func ruleFormatFiles(m *spec.Model, in inputs) ([]output.File, error) {
	switch m.Settings.Rules.Format {
	case "", FormatPrometheus:
		return nil, nil
	case FormatMimir:
		return mimirFiles(m, in.rules)
	case FormatThanos:
		return thanosFiles(in.rules)
	}
	return nil, fmt.Errorf("deploy: unknown rules format %q (want prometheus, mimir or thanos)", m.Settings.Rules.Format)
}

// mimirNamespace is the file mimirtool rules load/sync reads: one ruler namespace and its groups.
type mimirNamespace struct {
	Namespace string              `yaml:"namespace"`
	Groups    []rulefmt.RuleGroup `yaml:"groups"`
}

// MimirNamespace is the ruler namespace kpic's groups live in, one per gauge namespace so two
// kpic projects can share a tenant; `mimirtool rules sync` then replaces exactly our groups.
func MimirNamespace(m *spec.Model) string { return "kpic-" + m.Settings.Namespace }

// mimirFiles puts every group into one namespace file, since a namespace must not be split
// across the files mimirtool syncs and group names must be unique within it.
func mimirFiles(m *spec.Model, rules []ruleFile) ([]output.File, error) {
	ns := mimirNamespace{Namespace: MimirNamespace(m)}
	seen := map[string]string{}
	for _, rf := range rules {
		for _, g := range rf.groups {
			if other, dup := seen[g.Name]; dup {
				return nil, fmt.Errorf("deploy: rule group %q is in both %s and %s; mimir needs unique names", g.Name, other, rf.name)
			}
			seen[g.Name] = rf.name
			ns.Groups = append(ns.Groups, g)
		}
	}
	data, err := marshal(generatedHeader+"# Load with: mimirtool rules sync deploy/mimir/*.yaml\n", ns)
	if err != nil {
		return nil, err
	}
	return []output.File{{Path: "deploy/mimir/" + ns.Namespace + ".yaml", Data: data}}, nil
}

// thanosGroup is a Prometheus rule group with the field Thanos Ruler adds to it.
type thanosGroup struct {
	rulefmt.RuleGroup       `yaml:",inline"`
	PartialResponseStrategy string `yaml:"partial_response_strategy"`
}

// thanosFiles writes each rule file with partial_response_strategy abort on every group: a KPI
// computed from half the stores is wrong, and a rule that fails shows as an evaluation failure.
func thanosFiles(rules []ruleFile) ([]output.File, error) {
	var out []output.File
	for _, rf := range rules {
		doc := struct {
			Groups []thanosGroup `yaml:"groups"`
		}{}
		for _, g := range rf.groups {
			doc.Groups = append(doc.Groups, thanosGroup{RuleGroup: g, PartialResponseStrategy: "abort"})
		}
		data, err := marshal(generatedHeader, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, output.File{Path: "deploy/thanos/" + rf.name + rulesSuffix, Data: data})
	}
	return out, nil
}
