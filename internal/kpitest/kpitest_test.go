package kpitest

import (
	"bytes"
	"encoding/xml"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/promrules"
)

// catalog loads and compiles testdata/catalog.
func catalog(t testing.TB) *Catalog {
	t.Helper()
	m, diags := definition.Load("testdata/catalog")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	files, err := promrules.Groups(m)
	if err != nil {
		t.Fatal(err)
	}
	var groups []rulefmt.RuleGroup
	for _, f := range files {
		groups = append(groups, f.Groups...)
	}
	return NewCatalog(m, groups)
}

// TestPassingTestsPass runs testdata/catalog/pass_test.yaml: every KPI kind, a breakdown,
// replicas, raw series, a KPI reading another, growth, forecasts, ramps and alerts.
func TestPassingTestsPass(t *testing.T) {
	c := catalog(t)
	files, diags := Load("testdata/catalog", c)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	results := Run(c, files, Options{})
	if len(results) != 12 {
		t.Fatalf("ran %d tests, want the 12 of pass_test.yaml", len(results))
	}
	for _, r := range results {
		for _, f := range r.Failures {
			t.Errorf("%s", f)
		}
	}
}

var wantMarker = regexp.MustCompile(`#\s*want:\s*(.+)$`)

// TestEveryKindOfExpectationCanFail runs deliberately wrong expectations: each line marked
// `# want: text` must fail at that line with a message holding the text (the observed value
// included), and no unmarked line may fail.
func TestEveryKindOfExpectationCanFail(t *testing.T) {
	c := catalog(t)
	const path = "testdata/fail/wrong_test.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := Parse(path, data, c)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := map[int]string{}
	for i, line := range strings.Split(string(data), "\n") {
		if m := wantMarker.FindStringSubmatch(line); m != nil && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			want[i+1] = m[1]
		}
	}
	got := map[int]string{}
	for _, r := range Run(c, []*File{f}, Options{}) {
		if !r.Failed() {
			t.Errorf("test %q passed; every test of %s must fail", r.Test.Name, path)
		}
		for _, fl := range r.Failures {
			if fl.Pos.File != path {
				t.Errorf("failure in file %q, want %q", fl.Pos.File, path)
			}
			got[fl.Pos.Line] += fl.String() + "\n"
		}
	}
	for line, text := range want {
		if !strings.Contains(got[line], text) {
			t.Errorf("line %d: want a failure containing %q, got %q", line, text, got[line])
		}
	}
	for line, text := range got {
		if _, ok := want[line]; !ok {
			t.Errorf("line %d failed without a want marker: %s", line, text)
		}
	}
	for _, kind := range []string{"value is", "target is", "attainment is", "forecast is", "status is", "firing alerts are", "pick one with labels"} {
		if !strings.Contains(strings.Join(values(got), ""), kind) {
			t.Errorf("no failure of kind %q: every kind of expectation must be shown failing", kind)
		}
	}
}

func values(m map[int]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestFailureNamesFileLineAndTest checks the message format of the issue: file:line:col, the
// test, the instant, the KPI, the observed and wanted status and the KPI's numbers.
func TestFailureNamesFileLineAndTest(t *testing.T) {
	c := catalog(t)
	src := "tests:\n  - name: red\n    series:\n      - metric: revenue_dollars\n        values: \"40x10\"\n    expect:\n      - at: 0s\n        kpi: revenue_dollars\n        status: amber\n"
	f, diags := Parse("kpis/x_test.yaml", []byte(src), c)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	r := Run(c, []*File{f}, Options{})
	want := `kpis/x_test.yaml:9:17: test "red": at 0s kpi revenue_dollars: status is red, want amber (value 40, today's target 100, critical 50)`
	if len(r) != 1 || len(r[0].Failures) != 1 || r[0].Failures[0].String() != want {
		t.Fatalf("got %+v,\nwant %s", r, want)
	}
}

// TestRunSelectsByName checks --run: only matching tests run.
func TestRunSelectsByName(t *testing.T) {
	c := catalog(t)
	files, _ := Load("testdata/catalog", c)
	results := Run(c, files, Options{Run: regexp.MustCompile("by plan")})
	if len(results) != 1 || results[0].Test.Name != "a ratio by plan is checked per plan with labels" {
		t.Fatalf("--run selected %d tests, want only the by-plan one", len(results))
	}
}

// TestJUnitReport checks the XML counts, names and failure text CI systems read.
func TestJUnitReport(t *testing.T) {
	c := catalog(t)
	data, _ := os.ReadFile("testdata/fail/wrong_test.yaml")
	f, _ := Parse("fail/wrong_test.yaml", data, c)
	good, _ := Load("testdata/catalog", c)
	results := append(Run(c, good, Options{Run: regexp.MustCompile("^a query KPI")}), Run(c, []*File{f}, Options{})...)
	diags := definition.Diagnostics{{Pos: definition.Pos{File: "bad_test.yaml", Line: 3, Col: 5}, Message: `unknown kpi "x"`}}
	var b bytes.Buffer
	if err := WriteJUnit(&b, results, diags); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("report is not XML: %v\n%s", err, b.String())
	}
	if got.Tests != 6 || got.Failures != 4 || got.Errors != 1 || len(got.Suites) != 3 {
		t.Fatalf("tests %d failures %d errors %d suites %d, want 6, 4, 1, 3:\n%s", got.Tests, got.Failures, got.Errors, len(got.Suites), b.String())
	}
	if s := got.Suites[0]; s.Name != "bad_test.yaml" || s.Cases[0].Error == nil || !strings.Contains(s.Cases[0].Error.Text, `bad_test.yaml:3:5: unknown kpi "x"`) {
		t.Errorf("load errors suite: %+v", s)
	}
	pass := got.Suites[2]
	if pass.Name != "testdata/catalog/pass_test.yaml" || pass.Cases[0].Failure != nil || pass.Cases[0].Name != "a query KPI on a ramp, at the start of its period" {
		t.Errorf("passing suite: %+v", pass)
	}
	if c := got.Suites[1].Cases[0]; c.Failure == nil || !strings.Contains(c.Failure.Text, "value is 80, want 81") {
		t.Errorf("failing case: %+v", c)
	}
}

// TestEqualIsRelative checks the 1e-9 relative tolerance.
func TestEqualIsRelative(t *testing.T) {
	tests := []struct {
		got, want float64
		ok        bool
	}{{1, 1, true}, {1e6, 1e6 + 1e-4, true}, {1e6, 1e6 + 1e-2, false}, {0, 1e-12, false}, {0, 0, true}, {-2, 2, false}, {0.1 + 0.2, 0.3, true}}
	for _, tt := range tests {
		if Equal(tt.got, tt.want) != tt.ok {
			t.Errorf("Equal(%v, %v) = %v, want %v", tt.got, tt.want, !tt.ok, tt.ok)
		}
	}
}

// TestPruningChangesNoResult runs the passing tests with every rule as well: they pass either
// way, and a test of one KPI runs fewer rules, including those of the KPI it reads.
func TestPruningChangesNoResult(t *testing.T) {
	c := catalog(t)
	files, _ := Load("testdata/catalog", c)
	all := *c
	all.unprunable = true
	for _, r := range Run(&all, files, Options{}) {
		for _, f := range r.Failures {
			t.Errorf("with every rule: %s", f)
		}
	}
	count := func(groups []rulefmt.RuleGroup) (n int, kpis map[string]bool) {
		kpis = map[string]bool{}
		for _, g := range groups {
			for _, r := range g.Rules {
				n++
				kpis[r.Labels["kpi"]] = true
			}
		}
		return n, kpis
	}
	total, _ := count(c.Groups)
	kept, kpis := count(c.prune(needs{kpis: []string{"margin_copy_ratio"}, series: []string{seriesValue, seriesStatus}}))
	if kept >= total || !kpis["margin_copy_ratio"] || !kpis["margin_ratio"] || kpis["revenue_dollars"] || kpis["signup_ratio"] {
		t.Errorf("kept %d of %d rules, of the KPIs %v; want fewer, margin_copy_ratio's and margin_ratio's only", kept, total, kpis)
	}
}
