package promrules

import (
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/kpic/kpic/internal/definition"
)

// promtool returns the path of Prometheus' promtool, or skips the test when it is missing
// (fails instead under CI=true, where it must be installed).
func promtool(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err == nil {
		return path
	}
	msg := "promtool not found: install Debian's prometheus package (apt-get install -y prometheus)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// writeRules builds the rule files of testdata/small into a temporary folder and returns their
// paths.
func writeRules(t *testing.T) []string {
	t.Helper()
	files, err := Build(loadSmall(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.Base(f.Path))
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestRulesRoundTripThroughRulefmt parses every file as Prometheus does and expects the groups
// Groups returned, with no error.
func TestRulesRoundTripThroughRulefmt(t *testing.T) {
	m := loadSmall(t)
	want, err := Groups(m)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]RuleFile{}
	for _, f := range want {
		byPath[f.Path] = f
	}
	for _, f := range files {
		got, errs := rulefmt.Parse(f.Data, false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f.Path, errs)
		}
		if !reflect.DeepEqual(got.Groups, byPath[f.Path].Groups) {
			t.Errorf("%s: parsed groups differ from the compiled ones:\n got %+v\nwant %+v", f.Path, got.Groups, byPath[f.Path].Groups)
		}
	}
}

// TestPromtoolCheckRulesFindsNothing runs `promtool check rules` (Prometheus 2.42 on Debian),
// which also lints, and expects success with no warning in its output.
func TestPromtoolCheckRulesFindsNothing(t *testing.T) {
	bin := promtool(t)
	paths := writeRules(t)
	out, err := exec.Command(bin, append([]string{"check", "rules"}, paths...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "FAILED") || strings.Contains(strings.ToLower(line), "warn") || strings.Contains(line, "duplicate") {
			t.Errorf("promtool check rules reported: %s\n%s", line, out)
		}
	}
}

// TestDemoRulesPassPromtool compiles the demo company's kpis/ and checks its rule files with
// promtool, so the committed deploy/prometheus is known to load.
func TestDemoRulesPassPromtool(t *testing.T) {
	m, diags := definition.Load("../../kpis")
	if diags.HasErrors() {
		t.Fatalf("load kpis:\n%v", diags)
	}
	files, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	bin := promtool(t)
	dir := t.TempDir()
	args := []string{"check", "rules"}
	for _, f := range files {
		p := filepath.Join(dir, filepath.Base(f.Path))
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil || strings.Contains(string(out), "FAILED") {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}
