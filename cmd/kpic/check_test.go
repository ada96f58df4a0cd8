package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// staleBuild builds the demo into a temporary folder and edits one word of one rule file, so a
// check sees exactly one stale file with a one-line change.
func staleBuild(t *testing.T) (out, rulePath string) {
	t.Helper()
	out = t.TempDir()
	if code, _, errs := kpic(t, "build", "--out", out, "../../kpis"); code != 0 {
		t.Fatalf("build: %s", errs)
	}
	rules, _ := filepath.Glob(filepath.Join(out, "deploy/prometheus/*.rules.yml"))
	if len(rules) == 0 {
		t.Fatal("build wrote no rule files")
	}
	data, _ := os.ReadFile(rules[0])
	edited := strings.Replace(string(data), "kpi:value", "kpi:valeu", 1)
	if err := os.WriteFile(rules[0], []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(out, rules[0])
	return out, filepath.ToSlash(rel)
}

func TestStaleCheckPrintsOneLinePerFileAndWhatToRun(t *testing.T) {
	out, rule := staleBuild(t)
	code, stdout, errs := kpic(t, "check", "--out", out, "../../kpis")
	if code != 1 {
		t.Fatalf("check exited %d, want 1", code)
	}
	if stdout != "" {
		t.Errorf("check without --diff printed to stdout:\n%s", stdout)
	}
	if !strings.Contains(errs, "  "+rule+"  +1 -1 lines\n") {
		t.Errorf("no summary line for %s with its counts:\n%s", rule, errs)
	}
	if !strings.Contains(errs, "Run `kpic build --out="+out+" ../../kpis` and commit the result; `kpic check --diff --out="+out+" ../../kpis` shows the changes.") {
		t.Errorf("check did not say what to run:\n%s", errs)
	}
	if n := strings.Count(errs, "\n"); n > 5 {
		t.Errorf("a one-file drift took %d lines:\n%s", n, errs)
	}
}

func TestCheckDiffShowsAOneLineHunk(t *testing.T) {
	out, rule := staleBuild(t)
	code, stdout, _ := kpic(t, "check", "--diff", "--out", out, "../../kpis")
	if code != 1 {
		t.Fatalf("check exited %d, want 1", code)
	}
	if !strings.HasPrefix(stdout, "--- a/"+rule+"\n+++ b/"+rule+"\n@@ ") {
		t.Fatalf("no unified diff of %s:\n%s", rule, stdout)
	}
	if strings.Count(stdout, "\n@@ ") != 1 || strings.Count(stdout, "\n-") != 1 || strings.Count(stdout, "\n+") != 2 {
		t.Errorf("want one hunk removing and adding one line:\n%s", stdout)
	}
	if !strings.Contains(stdout, "\n-") || !strings.Contains(stdout, "kpi:valeu") {
		t.Errorf("the diff does not show the edit:\n%s", stdout)
	}
}

func TestStaleSummaryFitsAScreen(t *testing.T) {
	out := t.TempDir() // nothing built: every generated file is missing
	code, _, errs := kpic(t, "check", "--out", out, "../../kpis")
	if code != 1 {
		t.Fatalf("check exited %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) > maxSummaryLines+3 {
		t.Errorf("summary is %d lines:\n%s", len(lines), errs)
	}
	if !strings.Contains(errs, "missing, +") || !strings.Contains(errs, "... and ") {
		t.Errorf("summary does not count missing files or cut the list:\n%s", errs)
	}
}

// warnDefs is the demo with one warning added.
func warnDefs(t *testing.T) string {
	t.Helper()
	defs := t.TempDir()
	copyDir(t, "../../kpis", defs)
	extra := "metrics:\n  - name: widgets_total\n    help: Widgets.\n    owner: growth\n    source: shop\n    query: SELECT 1 AS value\n"
	if err := os.WriteFile(filepath.Join(defs, "zz.yaml"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	return defs
}

func TestEachWarningIsPrintedOnce(t *testing.T) {
	defs := warnDefs(t)
	t.Setenv("KPIC_DEMO_DB", filepath.Join(t.TempDir(), "none.db"))
	for _, args := range [][]string{
		{"check", "--definitions-only", defs},
		{"serve", "--config.check", "--config.dir", defs},
		{"check", "--out", t.TempDir(), defs},
		{"diff", defs, defs},
		{"build", "--out", t.TempDir(), defs},
	} {
		_, stdout, errs := kpic(t, args...)
		if n := strings.Count(stdout+errs, "zz.yaml:2:11: warning: metric \"widgets_total\" ends in _total"); n != 1 {
			t.Errorf("%v printed the warning %d times:\n%s%s", args[0], n, stdout, errs)
		}
	}
}

func TestCheckJSONNamesFileLineColumnAndField(t *testing.T) {
	defs := warnDefs(t)
	out, rule := staleBuild(t)
	code, stdout, errs := kpic(t, "check", "--format=json", "--out", out, defs)
	if code != 1 {
		t.Fatalf("check exited %d, want 1: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("json check wrote to stderr: %s", errs)
	}
	var doc struct {
		Diagnostics []struct {
			File, Severity, Message, Field string
			Line, Column                   int
		}
		Errors, Warnings int
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	var sawWarning, sawStale bool
	for _, d := range doc.Diagnostics {
		if d.File == filepath.ToSlash(filepath.Join(defs, "zz.yaml")) && d.Line == 2 && d.Column == 11 && d.Field == "metrics[0].name" && d.Severity == "warning" {
			sawWarning = true
		}
		if d.File == filepath.ToSlash(filepath.Join(out, rule)) && d.Severity == "error" && d.Line > 1 && strings.Contains(d.Message, "+1 -1") {
			sawStale = true
		}
	}
	if !sawWarning || !sawStale || doc.Warnings != 1 {
		t.Errorf("warning at zz.yaml:2:11 metrics[0].name: %v, stale %s: %v, warnings %d\n%s", sawWarning, rule, sawStale, doc.Warnings, stdout)
	}
}

func TestCheckGitHubAnnotatesTheDefinitions(t *testing.T) {
	defs := warnDefs(t)
	code, stdout, _ := kpic(t, "check", "--format=github", "--definitions-only", defs)
	if code != 0 {
		t.Fatalf("check exited %d", code)
	}
	want := "::warning file=" + filepath.ToSlash(filepath.Join(defs, "zz.yaml")) + ",line=2,col=11,title=kpic check metrics[0].name::metric \"widgets_total\" ends in _total"
	if !strings.HasPrefix(stdout, want) {
		t.Errorf("got\n%s\nwant a line starting\n%s", stdout, want)
	}
}

func TestCheckJSONWithDiffIsRefused(t *testing.T) {
	code, _, errs := kpic(t, "check", "--format=json", "--diff", "../../kpis")
	if code != 1 || !strings.Contains(errs, "--diff") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestBuildCommandQuotesWhatAShellWouldSplit(t *testing.T) {
	tests := []struct {
		f    checkFlags
		want string
	}{
		{checkFlags{out: ".", dir: "kpis"}, "kpic build"},
		{checkFlags{out: "gen/out", dir: "defs"}, "kpic build --out=gen/out defs"},
		{checkFlags{out: "my out", dir: "it's"}, `kpic build --out='my out' 'it'\''s'`},
	}
	for _, tt := range tests {
		if got := buildCommand(tt.f); got != tt.want {
			t.Errorf("buildCommand(%+v) = %s, want %s", tt.f, got, tt.want)
		}
	}
}
