package definition

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary file content to the loader, next to testdata/base so that references
// resolve: it must never panic, and every error must name a file and a line.
func FuzzLoad(f *testing.F) {
	base, err := os.ReadFile("testdata/base/base.yaml")
	if err != nil {
		f.Fatal(err)
	}
	err = filepath.WalkDir("testdata", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			data, err := os.ReadFile(p)
			if err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"base.yaml": {Data: base}, "x.yaml": {Data: data}}
		m, diags := LoadFS(fsys, "kpis")
		for _, d := range diags.Errors() {
			if d.Pos.File == "" || d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Errorf("error without file:line:col: %q", d)
			}
		}
		if diags.HasErrors() == (m != nil) {
			t.Errorf("model must be nil exactly when there are errors")
		}
	})
}
