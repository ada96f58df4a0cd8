package deploy

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"
)

// decodeKnown decodes data into v, failing on fields v does not declare.
func decodeKnown(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
}

// checkGroups validates groups as Prometheus (and so Mimir and Thanos) would load them.
func checkGroups(t *testing.T, groups []rulefmt.RuleGroup) {
	t.Helper()
	data, err := yaml.Marshal(rulefmt.RuleGroups{Groups: groups})
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := rulefmt.Parse(data, false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler)); len(errs) > 0 {
		t.Fatalf("groups do not load: %v", errs)
	}
}

func TestMimirFileIsOneRulerNamespaceWithEveryGroup(t *testing.T) {
	var ns struct {
		Namespace string              `yaml:"namespace"`
		Groups    []rulefmt.RuleGroup `yaml:"groups"`
	}
	decodeKnown(t, find(t, buildSmall(t, FormatMimir), "deploy/mimir/kpic-business.yaml"), &ns)
	if ns.Namespace != "kpic-business" || len(ns.Groups) != 2 {
		t.Fatalf("namespace %q with %d groups, want kpic-business with 2", ns.Namespace, len(ns.Groups))
	}
	checkGroups(t, ns.Groups)
}

func TestThanosFilesAbortOnPartialResponses(t *testing.T) {
	files := buildSmall(t, FormatThanos)
	n := 0
	for _, f := range files {
		if !strings.HasPrefix(f.Path, "deploy/thanos/") {
			continue
		}
		n++
		var doc struct {
			Groups []struct {
				rulefmt.RuleGroup       `yaml:",inline"`
				PartialResponseStrategy string `yaml:"partial_response_strategy"`
			} `yaml:"groups"`
		}
		decodeKnown(t, f.Data, &doc)
		var groups []rulefmt.RuleGroup
		for _, g := range doc.Groups {
			if g.PartialResponseStrategy != "abort" {
				t.Errorf("%s: group %s has partial_response_strategy %q", f.Path, g.Name, g.PartialResponseStrategy)
			}
			groups = append(groups, g.RuleGroup)
		}
		checkGroups(t, groups)
	}
	if n != 2 {
		t.Errorf("%d Thanos rule files, want one per Prometheus rule file (2)", n)
	}
}
