package deploy

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/promrules"
)

// Rule file formats of settings.rules.format.
const (
	FormatPrometheus = "prometheus"
	FormatMimir      = "mimir"
	FormatThanos     = "thanos"
)

// ruleFile is the rule groups of one objective; name is its file's base without .rules.yml,
// body the groups as promrules.Marshal writes them (see groupsBody).
type ruleFile struct {
	name   string
	groups []rulefmt.RuleGroup
	body   []byte
}

// parseRuleFile validates a rule file as Prometheus would load it, for Build, whose callers pass
// rule files rather than the groups they were written from.
func parseRuleFile(f output.File) (promrules.RuleFile, error) {
	p := parser.NewParser(parser.Options{})
	groups, errs := rulefmt.Parse(f.Data, false, model.UTF8Validation, p, slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		return promrules.RuleFile{}, fmt.Errorf("deploy: parse %s: %w", f.Path, errors.Join(errs...))
	}
	return promrules.RuleFile{Path: f.Path, Groups: groups.Groups}, nil
}

// ruleFormatFiles writes the rule groups again for the ruler settings.rules.format names. The
// Prometheus files stay either way: the PrometheusRule resources, promtool and the demo use them.
func ruleFormatFiles(m *definition.Model, in inputs) ([]output.File, error) {
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
	Namespace string `yaml:"namespace"`
	Groups    any    `yaml:"groups"` // []rulefmt.RuleGroup, or its stand-in (see splices)
}

// MimirNamespace is the ruler namespace kpic's groups live in, one per gauge namespace so two
// kpic projects can share a tenant; `mimirtool rules sync` then replaces exactly our groups.
func MimirNamespace(m *definition.Model) string { return "kpic-" + m.Settings.Namespace }

// mimirFiles puts every group into one namespace file, since a namespace must not be split
// across the files mimirtool syncs and group names must be unique within it.
func mimirFiles(m *definition.Model, rules []ruleFile) ([]output.File, error) {
	var groups []rulefmt.RuleGroup
	var bodies [][]byte
	seen := map[string]string{}
	for _, rf := range rules {
		if len(rf.groups) > 0 {
			bodies = append(bodies, rf.body)
		}
		for _, g := range rf.groups {
			if other, dup := seen[g.Name]; dup {
				return nil, fmt.Errorf("deploy: rule group %q is in both %s and %s; mimir needs unique names", g.Name, other, rf.name)
			}
			seen[g.Name] = rf.name
			groups = append(groups, g)
		}
	}
	var s splices
	ns := mimirNamespace{Namespace: MimirNamespace(m), Groups: s.ruleGroups(bodies...)}
	if ns.Groups == nil {
		ns.Groups = groups
	}
	data, err := s.marshal(generatedHeader+"# Load with: mimirtool rules sync deploy/mimir/*.yaml\n", ns)
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
		var s splices
		doc := struct {
			Groups any `yaml:"groups"`
		}{Groups: s.ruleGroupsWith(rf.body, "    partial_response_strategy: abort\n")}
		if doc.Groups == nil {
			groups := []thanosGroup{}
			for _, g := range rf.groups {
				groups = append(groups, thanosGroup{RuleGroup: g, PartialResponseStrategy: "abort"})
			}
			doc.Groups = groups
		}
		data, err := s.marshal(generatedHeader, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, output.File{Path: "deploy/thanos/" + rf.name + rulesSuffix, Data: data})
	}
	return out, nil
}
