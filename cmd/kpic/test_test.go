package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestCommand drives kpic test in-process on the kpitest catalog: passing, failing and
// malformed test files, --run and --junit.
func TestTestCommand(t *testing.T) {
	catalog := filepath.Join("..", "..", "internal", "kpitest", "testdata")
	pass := t.TempDir()
	copyDir(t, filepath.Join(catalog, "catalog"), pass)
	fail := t.TempDir()
	copyDir(t, filepath.Join(catalog, "catalog"), fail)
	wrong, err := os.ReadFile(filepath.Join(catalog, "fail", "wrong_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fail, "wrong_test.yaml"), wrong, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := t.TempDir()
	copyDir(t, filepath.Join(catalog, "catalog"), bad)
	if err := os.WriteFile(filepath.Join(bad, "bad_test.yml"), []byte("tests:\n  - name: x\n    expect: [{at: 0s, kpi: revenue_dolars, status: green}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	junit := filepath.Join(t.TempDir(), "report.xml")

	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
		junitContains  string
	}{
		{"passing tests exit 0 with a summary", []string{"test", "--junit", junit, pass}, 0, "kpic: 12 tests passed (1 files)", "", `tests="12" failures="0"`},
		{"a failing expectation prints its position and the observed value, exit 1", []string{"test", "--junit", junit, fail}, 1, "",
			`wrong_test.yaml:11:16: test "every kind of expectation can fail": at 10m kpi revenue_dollars: value is 80, want 81`, `failures="4"`},
		{"--run selects tests by name", []string{"test", "--run", "^a ratio by plan", pass}, 0, "kpic: 1 tests passed (1 files)", "", ""},
		{"--run matching nothing says so", []string{"test", "--run", "nothing matches this", pass}, 0, "", "no test matches --run", ""},
		{"a malformed test file is a positioned error, exit 1", []string{"test", "--junit", junit, bad}, 1, "",
			`bad_test.yml:3:28: unknown kpi "revenue_dolars"; did you mean "revenue_dollars"?`, `errors="1"`},
		{"an invalid --run is an error", []string{"test", "--run", "(", pass}, 1, "", "--run: error parsing regexp", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(junit)
			code, stdout, stderr := kpic(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if tt.junitContains == "" {
				return
			}
			data, err := os.ReadFile(junit)
			if err != nil || !strings.Contains(string(data), tt.junitContains) {
				t.Errorf("junit report (%v) lacks %q:\n%s", err, tt.junitContains, data)
			}
		})
	}
}
