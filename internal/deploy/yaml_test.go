package deploy

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/rulefmt"
	"gopkg.in/yaml.v3"

	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/promrules"
)

// TestSplicedLiteralsMatchYAMLv3 makes sure a spliced text reads back as written and is laid out
// byte for byte as yaml.v3 lays it out, wherever the key is.
func TestSplicedLiteralsMatchYAMLv3(t *testing.T) {
	texts := map[string]string{
		"json with a final newline":           "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}\n",
		"no final newline":                    "{\n  \"a\": 1\n}",
		"empty lines inside":                  "a\n\n\nb\n",
		"first line indented":                 "  a\nb\n",
		"tabs and unicode":                    "a\tb\n\tüñî €\n中文\n",
		"indicators and comments":             "# x\n- y: z\n'q' \"r\" | >\n",
		"one line and a final newline":        "just one line\n",
		"document markers":                    "---\n...\n",
		"space before a line break (quoted)":  "a \nb\n",
		"two final newlines (quoted)":         "a\nb\n\n",
		"leading line break (yaml.v3's)":      "\na\n",
		"trailing space (quoted)":             "a\nb ",
		"carriage return (quoted)":            "a\r\nb\n",
		"control character (quoted)":          "a\x01\nb\n",
		"line separator (quoted)":             "a\u2028b\nc\n",
		"astral plane character (quoted)":     "a😀\nb\n",
		"byte order mark (quoted)":            "a\ufeff\nb\n",
		"invalid UTF-8 (binary)":              "a\xff\nb\n",
		"single line without newline (plain)": "plain",
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			plain := func() any { return text }
			want, err := marshal(generatedHeader, doc(plain), doc(plain))
			if err != nil {
				t.Fatal(err)
			}
			var s splices
			spliced := func() any { return s.literal(newBlockText([]byte(text))) }
			got, err := s.marshal(generatedHeader, doc(spliced), doc(spliced))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			dec := yaml.NewDecoder(bytes.NewReader(got))
			for range 2 {
				var back struct {
					Spec struct{ JSON string } `yaml:"spec"`
					Data map[string]string     `yaml:"data"`
				}
				if err := dec.Decode(&back); err != nil {
					t.Fatal(err)
				}
				// yaml.v3 drops the leading line break it writes itself; we leave such text to it.
				if !strings.Contains(name, "binary") && !strings.Contains(name, "yaml.v3") && (back.Spec.JSON != text || back.Data["k.json"] != text) {
					t.Errorf("reads back as %q and %q, want %q", back.Spec.JSON, back.Data["k.json"], text)
				}
			}
		})
	}
}

// doc puts v where the Kubernetes files put dashboards: a ConfigMap's data and a resource's spec.
func doc(v func() any) object {
	return object{
		APIVersion: "v1", Kind: "Test", Metadata: meta{Name: "x", Labels: appLabels()},
		Spec: map[string]any{"a": "b", "json": v(), "z": []string{"y"}},
		Data: map[string]any{"k.json": v(), "l.json": "short"},
	}
}

// TestSplicedRuleGroupsReadBackAsGiven checks the three places rule groups are spliced into:
// a PrometheusRule's spec, the Mimir namespace file and a Thanos rule file.
func TestSplicedRuleGroupsReadBackAsGiven(t *testing.T) {
	files, err := promrules.Groups(smallModel(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	var groups []rulefmt.RuleGroup
	for _, f := range files {
		groups = append(groups, f.Groups...)
	}
	if len(groups) == 0 {
		t.Fatal("testdata/small compiles to no rule groups")
	}
	for _, format := range []string{FormatPrometheus, FormatMimir, FormatThanos} {
		m := smallModel(t, format)
		out, err := Package(m, Inputs{Rules: files, Definitions: readDefinitions(t)})
		if err != nil {
			t.Fatal(err)
		}
		var got []rulefmt.RuleGroup
		for _, f := range out {
			switch {
			case f.Path == baseDir+"prometheusrules.yaml":
				dec := yaml.NewDecoder(bytes.NewReader(f.Data))
				for {
					var pr struct {
						Spec struct {
							Groups []rulefmt.RuleGroup `yaml:"groups"`
						} `yaml:"spec"`
					}
					if dec.Decode(&pr) != nil {
						break
					}
					got = append(got, pr.Spec.Groups...)
				}
			case strings.HasPrefix(f.Path, "deploy/mimir/"), strings.HasPrefix(f.Path, "deploy/thanos/"):
				var doc struct {
					Namespace string        `yaml:"namespace"`
					Groups    []thanosGroup `yaml:"groups"`
				}
				decodeKnown(t, f.Data, &doc)
				for _, g := range doc.Groups {
					if (g.PartialResponseStrategy == "abort") != (format == FormatThanos) {
						t.Errorf("%s: group %s has partial_response_strategy %q", f.Path, g.Name, g.PartialResponseStrategy)
					}
					got = append(got, g.RuleGroup)
				}
			}
		}
		// Each format also writes the PrometheusRule resources.
		want := groups
		if format != FormatPrometheus {
			want = append(append([]rulefmt.RuleGroup(nil), groups...), groups...)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("format %s: groups read back as\n%+v\nwant\n%+v", format, got, want)
		}
	}
}

func readDefinitions(t *testing.T) []output.File {
	var defs []output.File
	for _, f := range readTree(t, "testdata/small") {
		if strings.HasPrefix(f.Path, DefinitionsPrefix) {
			defs = append(defs, f)
		}
	}
	return defs
}
