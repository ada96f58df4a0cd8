package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

var items = []Item{
	{File: "kpis/a.yaml", Line: 3, Column: 5, Severity: Error, Message: "unknown team \"grwoth\"; did you mean \"growth\"?", Field: "kpis[0].owner"},
	{File: "kpis/b, c.yaml", Line: 1, Column: 1, Severity: Warning, Message: "100% sure:\nsecond line\r", Field: ""},
	{File: "deploy/x.yml", Severity: Error, Message: "stale"},
}

func TestTextIsFileLineColMessage(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Text, items); err != nil {
		t.Fatal(err)
	}
	want := "kpis/a.yaml:3:5: unknown team \"grwoth\"; did you mean \"growth\"?\n" +
		"kpis/b, c.yaml:1:1: warning: 100% sure:\nsecond line\r\n" +
		"deploy/x.yml: stale\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestJSONKeepsEveryKeyAndCounts(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, JSON, items); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Diagnostics []map[string]any
		Errors      int
		Warnings    int
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if doc.Errors != 2 || doc.Warnings != 1 || len(doc.Diagnostics) != 3 {
		t.Fatalf("got %d errors, %d warnings, %d diagnostics", doc.Errors, doc.Warnings, len(doc.Diagnostics))
	}
	for _, d := range doc.Diagnostics {
		for _, k := range []string{"file", "line", "column", "severity", "message", "field"} {
			if _, ok := d[k]; !ok {
				t.Errorf("diagnostic %v lacks key %q", d, k)
			}
		}
	}
	if d := doc.Diagnostics[0]; d["line"] != 3.0 || d["column"] != 5.0 || d["field"] != "kpis[0].owner" || d["severity"] != "error" {
		t.Errorf("first diagnostic: %v", d)
	}
}

func TestJSONOfNothingIsAnEmptyList(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, JSON, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"diagnostics": []`) {
		t.Errorf("got %s", b.String())
	}
}

func TestGitHubCommandsAreEscaped(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, GitHub, items); err != nil {
		t.Fatal(err)
	}
	want := "::error file=kpis/a.yaml,line=3,col=5,title=kpic check kpis[0].owner::unknown team \"grwoth\"; did you mean \"growth\"?\n" +
		"::warning file=kpis/b%2C c.yaml,line=1,col=1,title=kpic check::100%25 sure:%0Asecond line%0D\n" +
		"::error file=deploy/x.yml,title=kpic check::stale\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestFieldAt(t *testing.T) {
	doc := []byte(`kpis:
  - name: mrr
    target: {direction: up, value: 3}
    supporting: [a, b]
  - name: churn
    owner: growth
settings:
  namespace: x
`)
	tests := []struct {
		name      string
		line, col int
		want      string
	}{
		{"an entity is named by its list index", 2, 5, "kpis[0]"},
		{"a scalar value is named by its key path", 6, 12, "kpis[1].owner"},
		{"a value inside a flow mapping", 3, 25, "kpis[0].target.direction"},
		{"a flow mapping itself", 3, 13, "kpis[0].target"},
		{"an item of a list of names", 4, 21, "kpis[0].supporting[1]"},
		{"a key names its field", 6, 5, "kpis[1].owner"},
		{"a mapping wins over its first key", 8, 3, "settings"},
		{"nothing starts there", 3, 1, ""},
		{"no position", 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FieldAt(doc, tt.line, tt.col); got != tt.want {
				t.Errorf("FieldAt(%d:%d) = %q, want %q", tt.line, tt.col, got, tt.want)
			}
		})
	}
	if got := FieldAt([]byte("a: [\n"), 1, 1); got != "" {
		t.Errorf("a file that does not parse gave %q", got)
	}
}
