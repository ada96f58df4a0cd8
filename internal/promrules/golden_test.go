package promrules

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files")

// TestBuildGolden compiles testdata/small and compares every rule file with
// testdata/<objective>.golden.
func TestBuildGolden(t *testing.T) {
	files, err := Build(loadSmall(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("Build returned no files")
	}
	for _, f := range files {
		golden := filepath.Join("testdata", strings.TrimSuffix(filepath.Base(f.Path), ".rules.yml")+".golden")
		if *update {
			if err := os.WriteFile(golden, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(f.Data, want) {
			t.Errorf("%s differs from %s (run go test -update and review the diff):\n%s", f.Path, golden, f.Data)
		}
	}
}

// TestBuildIsDeterministic builds twice and expects the same bytes, map iteration order aside.
func TestBuildIsDeterministic(t *testing.T) {
	first, err := Build(testModel())
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := Build(testModel())
		if err != nil {
			t.Fatal(err)
		}
		for i := range first {
			if !bytes.Equal(first[i].Data, again[i].Data) || first[i].Path != again[i].Path {
				t.Fatalf("%s changed between two builds", first[i].Path)
			}
		}
	}
}
