package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kpic runs the CLI in-process and returns its exit code and output.
func kpic(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree maps every file under dir to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuildIsDeterministicAndCheckAcceptsIt(t *testing.T) {
	out1, out2 := t.TempDir(), t.TempDir()
	if code, _, errs := kpic(t, "build", "--out", out1, "../../kpis"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errs)
	}
	if code, _, errs := kpic(t, "build", "--out", out2, "../../kpis"); code != 0 {
		t.Fatalf("second build exited %d: %s", code, errs)
	}
	a, b := readTree(t, out1), readTree(t, out2)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("builds wrote %d and %d files", len(a), len(b))
	}
	for p, data := range a {
		if b[p] != data {
			t.Errorf("%s differs between two builds of the same input", p)
		}
	}
	if code, stdout, errs := kpic(t, "check", "--out", out1, "../../kpis"); code != 0 {
		t.Fatalf("check after build exited %d:\n%s%s", code, stdout, errs)
	}
}

func TestCommittedGeneratedFilesAreFresh(t *testing.T) {
	if code, stdout, errs := kpic(t, "check", "--out", "../..", "../../kpis"); code != 0 {
		t.Fatalf("committed deploy/ and dashboards/ are stale; run `make generate`:\n%s%s", stdout, errs)
	}
}

func TestBuildRemovesWhatItNoLongerGeneratesButKeepsUserFiles(t *testing.T) {
	defs, out := t.TempDir(), t.TempDir()
	copyDir(t, "../../kpis", defs)
	if code, _, errs := kpic(t, "build", "--out", out, defs); code != 0 {
		t.Fatalf("build: %s", errs)
	}
	userFile := filepath.Join(out, "deploy/kubernetes/overlays/prod/kustomization.yaml")
	if err := os.MkdirAll(filepath.Dir(userFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(userFile, []byte("resources: [../../base]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	if err := os.Remove(filepath.Join(defs, "loyalty.yaml")); err != nil {
		t.Fatal(err)
	}
	// loyalty.yaml held every KPI of customer_loyalty: its rule file goes, the objective stays.
	if code, _, errs := kpic(t, "build", "--out", out, defs); code != 0 {
		t.Fatalf("rebuild: %s", errs)
	}
	after := readTree(t, out)
	if _, ok := after["deploy/kubernetes/overlays/prod/kustomization.yaml"]; !ok {
		t.Error("build removed a file the user added")
	}
	if equalTrees(before, after) {
		t.Error("rebuild after removing definitions changed nothing")
	}
	if _, ok := after["deploy/prometheus/customer_loyalty.rules.yml"]; ok {
		t.Error("the rules of an objective without KPIs were left behind")
	}
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBuildWritesNothingWhenDefinitionsHaveErrors(t *testing.T) {
	defs, out := t.TempDir(), t.TempDir()
	copyDir(t, "../../kpis", defs)
	bad := "kpis:\n  - name: broken\n    title: Broken\n"
	if err := os.WriteFile(filepath.Join(defs, "zz.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := kpic(t, "build", "--out", out, defs)
	if code != 1 {
		t.Fatalf("build exited %d, want 1", code)
	}
	if !strings.Contains(errs, "zz.yaml:2:") {
		t.Errorf("errors do not point at zz.yaml:2: %s", errs)
	}
	if files := readTree(t, out); len(files) != 0 {
		t.Errorf("build wrote %d files despite errors", len(files))
	}
}

func TestDiffDescribesAChangedTarget(t *testing.T) {
	defs := t.TempDir()
	copyDir(t, "../../kpis", defs)
	p := filepath.Join(defs, "revenue.yaml")
	data, _ := os.ReadFile(p)
	edited := strings.Replace(string(data), "critical: 90000", "critical: 95000", 1)
	if edited == string(data) {
		t.Fatal("test fixture no longer has critical: 90000")
	}
	if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, errs := kpic(t, "diff", "../../kpis", defs)
	if code != 0 {
		t.Fatalf("diff exited %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "`mrr_dollars` changed: critical 90000 → 95000") {
		t.Errorf("diff output:\n%s", stdout)
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	code, _, errs := kpic(t, "bogus")
	if code != 2 || !strings.Contains(errs, "bogus") {
		t.Errorf("got exit %d, stderr %q", code, errs)
	}
}

func TestHelpOfACommandPrintsUsageAndRunsNothing(t *testing.T) {
	out := t.TempDir()
	for _, args := range [][]string{{"build", "--out", out, "--help"}, {"serve", "-h"}, {"check", "--help"}, {"--version"}, {"serve", "--version"}} {
		code, stdout, errs := kpic(t, args...)
		if code != 0 {
			t.Errorf("%v exited %d: %s", args, code, errs)
		}
		if !strings.Contains(stdout, "kpic") {
			t.Errorf("%v printed no usage or version: %q", args, stdout)
		}
		if strings.Contains(stdout, "wrote") || strings.Contains(errs, "error") {
			t.Errorf("%v ran the command: %s%s", args, stdout, errs)
		}
	}
	if files := readTree(t, out); len(files) != 0 {
		t.Errorf("build --help wrote %d files", len(files))
	}
}
