package definition

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMultipleErrors checks that one run reports every problem of every file, sorted by file,
// line and column.
func TestMultipleErrors(t *testing.T) {
	_, diags := Load("testdata/multi")
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintln(&b, d)
	}
	golden(t, "testdata/multi.golden", []byte(b.String()))
	for i := 1; i < len(diags); i++ {
		a, z := diags[i-1].Pos, diags[i].Pos
		if a.File > z.File || a.File == z.File && (a.Line > z.Line || a.Line == z.Line && a.Col > z.Col) {
			t.Errorf("diagnostics out of order: %s before %s", diags[i-1], diags[i])
		}
	}
	files := map[string]bool{}
	for _, d := range diags {
		files[d.Pos.File] = true
	}
	if len(files) != 3 {
		t.Errorf("want problems of all 3 files, got %v", files)
	}
}

// TestHostileInput checks that input meant to hang or exhaust the loader gives an error naming
// the file instead.
func TestHostileInput(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"a file over 4 MiB is refused before parsing", []byte("# " + strings.Repeat("x", MaxFileSize)), "x.yaml:1:1: file is larger than 4 MiB"},
		{"a NUL byte marks a binary file", []byte("a: 1\n\x00"), "x.yaml:2:1: file contains a NUL byte"},
		{"invalid UTF-8 is refused", []byte("kpis:\n  - name: \xff\n"), "x.yaml:2:11: file contains invalid UTF-8"},
		{"an alias bomb stops at the alias budget", aliasBomb(12), "too many nodes reached through aliases"},
		{"deep nesting stops at the parser's depth limit", []byte("kpis: " + strings.Repeat("[", 100000)), "x.yaml:1:1: YAML syntax error"},
		{"a merge key that includes itself stops at the depth limit", []byte("kpis:\n  - &a {<<: *a}\n"), "x.yaml:2:5: nested more than 64 levels deep"},
		{"a document that is a list is refused", []byte("- a\n- b\n"), "x.yaml:1:1: expected a mapping of sections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := LoadFS(fstest.MapFS{"x.yaml": {Data: tt.data}}, "")
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.want) {
				t.Errorf("want an error containing %q, got:\n%s", tt.want, diags.Error())
			}
		})
	}
}

// aliasBomb builds a merge-key bomb of the given depth: each level merges ten of the previous.
func aliasBomb(depth int) []byte {
	var b strings.Builder
	b.WriteString("metrics:\n  - &a0 {name: m0, help: h, source: s, query: q}\n")
	for i := 1; i <= depth; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", ")
		fmt.Fprintf(&b, "  - &a%d {<<: [%s], name: m%d}\n", i, refs, i)
	}
	return []byte(b.String())
}

// TestLoadErrors checks failures to read the folder itself.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, dir, want string
	}{
		{"a missing folder is reported by name", "testdata/nope", "testdata/nope: cannot read definitions"},
		{"a file instead of a folder is reported", "testdata/base/base.yaml", "not a directory"},
		{"a folder without definitions is an error", "testdata/fuzz", "testdata/fuzz: no definitions found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diags := Load(tt.dir)
			if m != nil || !strings.Contains(diags.Error(), tt.want) {
				t.Errorf("want nil model and %q, got %v:\n%s", tt.want, m, diags.Error())
			}
		})
	}
}

// TestLoadSkipsTestFiles checks that kpic test's *_test.yaml and *_test.yml files beside the
// definitions are not read as definitions (their `tests:` key would be an error).
func TestLoadSkipsTestFiles(t *testing.T) {
	base, err := os.ReadFile("testdata/base/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := fstest.MapFS{
		"base.yaml":             {Data: base},
		"churn_test.yaml":       {Data: []byte("tests: []\n")},
		"team/revenue_test.yml": {Data: []byte("tests: []\n")},
	}
	m, diags := LoadFS(tests, "kpis")
	if diags.HasErrors() {
		t.Fatalf("test files were read as definitions:\n%s", diags.Error())
	}
	if len(m.Files) != 1 || m.Files[0] != "base.yaml" {
		t.Errorf("loaded files %v, want only base.yaml", m.Files)
	}
	for name, want := range map[string]bool{"a_test.yaml": true, "x/a_test.yml": true, "a.yaml": false, "test.yaml": false, "a_test.yaml.bak": false} {
		if got := IsTestFile(name); got != want {
			t.Errorf("IsTestFile(%q) = %v, want %v", name, got, want)
		}
	}
}
