package kpitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidFiles parses each file of testdata/invalid, whose last line is `# want: text`:
// loading it must fail with a diagnostic that starts with file:line:col and holds the text.
func TestInvalidFiles(t *testing.T) {
	c := catalog(t)
	paths, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no invalid files: %v", err)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.TrimRight(string(data), "\n")
			want := strings.TrimPrefix(text[strings.LastIndex(text, "\n")+1:], "# want: ")
			_, diags := Parse(filepath.Base(p), data, c)
			if !diags.HasErrors() {
				t.Fatalf("loaded without errors, want %s", want)
			}
			if !strings.Contains(diags.Error(), want) {
				t.Errorf("got:\n%s\nwant a line containing:\n%s", diags.Error(), want)
			}
		})
	}
}
