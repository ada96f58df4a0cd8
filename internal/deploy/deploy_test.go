package deploy

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// smallModel loads testdata/small/kpis and sets its rules format.
func smallModel(t testing.TB, format string) *definition.Model {
	t.Helper()
	m, diags := definition.Load(filepath.Join("testdata", "small", "kpis"))
	for _, d := range diags {
		t.Log(d.String())
	}
	if len(diags.Errors()) > 0 {
		t.Fatal("testdata/small/kpis does not load")
	}
	m.Settings.Rules.Format = format
	return m
}

// readTree returns the files under dir as generated files with slash paths relative to dir.
func readTree(t testing.TB, dir string) []output.File {
	t.Helper()
	var out []output.File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out = append(out, output.File{Path: filepath.ToSlash(rel), Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// buildSmall builds testdata/small with the given rules format.
func buildSmall(t *testing.T, format string) []output.File {
	t.Helper()
	files, err := Build(smallModel(t, format), readTree(t, filepath.Join("testdata", "small")))
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return files
}

// find returns the file at path among files, failing the test when it is missing.
func find(t *testing.T, files []output.File, path string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == path {
			return f.Data
		}
	}
	t.Fatalf("no file %s among %d generated files", path, len(files))
	return nil
}

// archive joins files into one text, each after a "-- path --" line, for golden comparison.
func archive(files []output.File, prefix string) []byte {
	var b bytes.Buffer
	for _, f := range files {
		if strings.HasPrefix(f.Path, prefix) {
			b.WriteString("-- " + f.Path + " --\n")
			b.Write(f.Data)
		}
	}
	return b.Bytes()
}

func TestBuildMatchesGoldenFiles(t *testing.T) {
	tests := []struct {
		name, format, prefix, golden string
	}{
		{"the default format packages Alertmanager and Kubernetes files", "", "", "prometheus.golden"},
		{"the mimir format adds one ruler namespace file", FormatMimir, "deploy/mimir/", "mimir.golden"},
		{"the thanos format adds rule files with a partial response strategy", FormatThanos, "deploy/thanos/", "thanos.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := archive(buildSmall(t, tt.format), tt.prefix)
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update and review the diff)", path)
			}
		})
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	first, second := archive(buildSmall(t, FormatMimir), ""), archive(buildSmall(t, FormatMimir), "")
	if !bytes.Equal(first, second) {
		t.Fatal("two builds of the same input differ")
	}
}

func TestBuildLeavesPrometheusFilesToTheRuleCompiler(t *testing.T) {
	for _, format := range []string{FormatPrometheus, FormatMimir, FormatThanos} {
		for _, f := range buildSmall(t, format) {
			if strings.HasPrefix(f.Path, prometheusDir) || strings.HasPrefix(f.Path, dashboardsDir) {
				t.Errorf("format %s: Build returned %s, which another compiler owns", format, f.Path)
			}
		}
	}
}
