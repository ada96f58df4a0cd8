package definition

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// loadWithBase loads one testdata file together with testdata/base, the definitions it refers to.
func loadWithBase(t *testing.T, dir, name string) Diagnostics {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range []string{path.Join("base", "base.yaml"), path.Join(dir, name)} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		fsys[f] = &fstest.MapFile{Data: data}
	}
	_, diags := LoadFS(fsys, "testdata")
	return diags
}

// wantLine returns the `# want: line:col: message` of a testdata file, with the file prefixed.
func wantLine(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	want, ok := strings.CutPrefix(string(first), "# want: ")
	if !ok {
		t.Fatalf("%s: first line must be `# want: line:col: message`", file)
	}
	return file + ":" + want
}

// TestInvalid loads each file of testdata/invalid, which holds exactly one problem, and checks
// that it is the one error reported, at the line and column its first line names.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid testdata: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			want := wantLine(t, file)
			errs := loadWithBase(t, "invalid", filepath.Base(file)).Errors()
			if len(errs) != 1 || errs[0].String() != want {
				t.Errorf("got errors:\n%s\nwant exactly:\n%s", errs.Error(), want)
			}
		})
	}
}

// TestWarnings loads each file of testdata/warnings and checks it gives no error and exactly the
// warning its first line names.
func TestWarnings(t *testing.T) {
	files, err := filepath.Glob("testdata/warnings/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no warnings testdata: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			want := wantLine(t, file)
			diags := loadWithBase(t, "warnings", filepath.Base(file))
			if len(diags) != 1 || diags[0].String() != want {
				t.Errorf("got:\n%s\nwant exactly:\n%s", joinDiags(diags), want)
			}
		})
	}
}

func joinDiags(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}
