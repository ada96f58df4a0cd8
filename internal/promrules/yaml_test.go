package promrules

import (
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"gopkg.in/yaml.v3"
)

// nastyStrings are values YAML would misread if written plain.
var nastyStrings = []string{
	"", " ", "true", "No", "null", "~", "0", "1e3", "0x1F", "1970-01-03", "12:30", ".5", "-1", "+1", ".nan",
	"- item", "? key", ": x", "a: b", "a #b", "#c", "{{ $value }}", "[1]", "*alias", "&anchor", "!tag", "|", ">",
	"'quoted'", `"double"`, "%d", "@at", "`tick`", "ends with colon:", "trailing ", " leading", "tab\there",
	"line\nbreak", "line\nbreak\n", "two\n\nblank\n\n", "\nleading newline", "x\r\ny", "bell\a", "€ and £",
	"sum by (a) (x{y=\"z\"}) / on(kpi) group_left() (t != 0)", "multi\n  indented\n\tlines", "\u2028sep", "nbsp\u00a0x",
	"<<", "=", "y", "a\n---\nb", "a\n...\nb", "line ending in space \nnext",
}

// decodeGroups reads a rule file back with yaml.v3.
func decodeGroups(t testing.TB, data []byte) []rulefmt.RuleGroup {
	t.Helper()
	var got rulefmt.RuleGroups
	if err := yaml.Unmarshal(data, &got); err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	return got.Groups
}

// groupWith puts s everywhere Marshal writes user text.
func groupWith(s string) []rulefmt.RuleGroup {
	d := model.Duration(time.Minute)
	return []rulefmt.RuleGroup{{Name: s, Interval: d, QueryOffset: &d, Limit: 3, Labels: map[string]string{"g": s},
		Rules: []rulefmt.Rule{
			{Record: s, Expr: s, Labels: map[string]string{"l": s}},
			{Alert: s, Expr: s, For: d, KeepFiringFor: d, Labels: map[string]string{"x": s}, Annotations: map[string]string{"a": s, "b": "x"}},
		}}}
}

// TestMarshalReadsBackEveryString writes awkward strings and reads them back unchanged.
func TestMarshalReadsBackEveryString(t *testing.T) {
	for _, s := range nastyStrings {
		want := groupWith(s)
		data := Marshal(want)
		if got := decodeGroups(t, data); !reflect.DeepEqual(got, want) {
			t.Errorf("%q does not read back:\n%s", s, data)
		}
	}
}

// FuzzMarshal checks that any valid UTF-8 string reads back unchanged (go test -fuzz FuzzMarshal).
func FuzzMarshal(f *testing.F) {
	for _, s := range nastyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("label values and annotations are UTF-8")
		}
		want := groupWith(s)
		data := Marshal(want)
		if got := decodeGroups(t, data); !reflect.DeepEqual(got, want) {
			t.Errorf("%q does not read back:\n%s", s, data)
		}
	})
}
