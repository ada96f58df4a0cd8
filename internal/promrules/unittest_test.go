package promrules

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The promtool test rules file format (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/).
type unitFile struct {
	RuleFiles          []string   `yaml:"rule_files"`
	EvaluationInterval string     `yaml:"evaluation_interval"`
	GroupEvalOrder     []string   `yaml:"group_eval_order"`
	Tests              []unitTest `yaml:"tests"`
}

type unitTest struct {
	Interval    string        `yaml:"interval"`
	InputSeries []inputSeries `yaml:"input_series"`
	AlertTests  []alertTest   `yaml:"alert_rule_test,omitempty"`
	ExprTests   []exprTest    `yaml:"promql_expr_test,omitempty"`
}

type inputSeries struct {
	Series string `yaml:"series"`
	Values string `yaml:"values"`
}

type exprTest struct {
	Expr       string   `yaml:"expr"`
	EvalTime   string   `yaml:"eval_time"`
	ExpSamples []sample `yaml:"exp_samples"`
}

type sample struct {
	Labels string  `yaml:"labels"`
	Value  float64 `yaml:"value"`
}

type alertTest struct {
	EvalTime  string     `yaml:"eval_time"`
	Alertname string     `yaml:"alertname"`
	ExpAlerts []expAlert `yaml:"exp_alerts"`
}

type expAlert struct {
	ExpLabels      map[string]string `yaml:"exp_labels"`
	ExpAnnotations map[string]string `yaml:"exp_annotations"`
}

// evalInterval matches the test model's rules.interval and the input series' step.
const evalInterval = "1h"

// runPromtoolTest evaluates the test model's rules on the input with `promtool test rules`
// and fails with promtool's report when an expectation does not hold.
func runPromtoolTest(t *testing.T, test unitTest) {
	t.Helper()
	bin := promtool(t)
	test.Interval = evalInterval
	test.InputSeries = scraped(test.InputSeries)
	f := unitFile{RuleFiles: writeRules(t), EvaluationInterval: evalInterval, GroupEvalOrder: evalOrder(t), Tests: []unitTest{test}}
	data, err := yaml.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "test.yml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "test", "rules", path).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool test rules: %v\n%s\ntest file:\n%s", err, out, data)
	}
}

// evalOrder is the order Groups returns the groups in, inputs before the rules that read them,
// which Prometheus's concurrent groups approach within one evaluation interval.
func evalOrder(t *testing.T) []string {
	groups, err := All(loadSmall(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range groups {
		out = append(out, g.Name)
	}
	return out
}

// scraped makes the input look as Prometheus stores the test model's exported gauges: each
// carries the rules labels (kpic serve adds them as constant labels) and comes from two
// exporter replicas, so every test also checks that replicas never multiply a value.
func scraped(in []inputSeries) []inputSeries {
	gauges := map[string]bool{}
	m := testModel()
	for _, e := range m.Exported() {
		gauges[m.GaugeName(e.Name)] = true
	}
	var out []inputSeries
	for _, s := range in {
		name, labels, _ := strings.Cut(strings.TrimSuffix(s.Series, "}"), "{")
		if !gauges[name] {
			out = append(out, s)
			continue
		}
		if labels != "" {
			labels += ", "
		}
		for _, instance := range []string{"kpic-0:10863", "kpic-1:10863"} {
			series := name + "{" + labels + `tenant="acme", job="kpic", instance="` + instance + `"}`
			out = append(out, inputSeries{Series: series, Values: s.Values})
		}
	}
	return out
}

// constant is an input series holding value for the whole test (four days at evalInterval).
func constant(name, value string) inputSeries {
	return inputSeries{Series: name, Values: value + "+0x96"}
}

// kpiSample is a kpi:* sample of a KPI as the test model records it (with its tenant label).
func kpiSample(name, kpi string, v float64, extra ...string) sample {
	labels := append([]string{`kpi="` + kpi + `"`, `tenant="acme"`}, extra...)
	return sample{Labels: name + "{" + strings.Join(labels, ", ") + "}", Value: v}
}

// at checks the value of a KPI's kpi:* series at a time.
func at(when, name, kpi string, want ...sample) exprTest {
	return exprTest{Expr: name + `{kpi="` + kpi + `"}`, EvalTime: when, ExpSamples: want}
}

// objective checks an objective rollup of the test objective "grow" at a time.
func objective(when, name string, v float64) exprTest {
	return exprTest{Expr: name, EvalTime: when,
		ExpSamples: []sample{{Labels: name + `{objective="grow", tenant="acme"}`, Value: v}}}
}

// firing checks that the alert of the KPI is firing at a time; quiet checks that it is not.
func firing(when, alertname, kpi string) exprTest {
	t := quiet(when, alertname, kpi)
	t.ExpSamples = []sample{{Labels: "{}", Value: 1}}
	return t
}

func quiet(when, alertname, kpi string) exprTest {
	expr := "count(ALERTS{alertname=" + strconv.Quote(alertname) + `, kpi="` + kpi + `", alertstate="firing"})`
	return exprTest{Expr: expr, EvalTime: when}
}
