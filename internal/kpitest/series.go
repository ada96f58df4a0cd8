package kpitest

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/ruleeval"
)

var inputKeys = []string{"metric", "series", "labels", "values"}

// Limits on input samples, checked before the values notation is expanded.
const (
	maxSeriesSamples = 1_000_000
	maxFileSamples   = 2_000_000
)

// scrapeLabels are the labels Prometheus adds to every scraped series; a test may set them to
// play several exporter replicas.
var scrapeLabels = []string{"instance", "job"}

// input decodes one series entry: a metric or SQL-backed KPI by name, or a raw series.
func (d *fileDecoder) input(n *yaml.Node, t *Test) (Input, bool) {
	fields, ok := d.mapping(n, "series entry", inputKeys)
	if !ok {
		return Input{}, false
	}
	in := Input{Pos: d.pos(d.resolveOr(n))}
	switch {
	case fields["metric"] != nil && fields["series"] != nil:
		d.errorf(fields["series"], "a series entry gives either metric: (by definition name) or series: (raw PromQL), not both")
		return in, false
	case fields["metric"] != nil:
		in.Labels, ok = d.metricSeries(fields["metric"], fields["labels"])
	case fields["series"] != nil:
		if fields["labels"] != nil {
			d.errorf(fields["labels"], "labels: goes with metric:; write the labels of a raw series inside it: name{label=\"value\"}")
			return in, false
		}
		in.Labels, ok = d.rawSeries(fields["series"])
	default:
		d.errorf(d.resolveOr(n), "a series entry needs metric: (a metric or SQL-backed KPI by name) or series: (a raw PromQL series such as http_requests_total{code=\"500\"})")
		return in, false
	}
	if fields["values"] == nil {
		d.errorf(d.resolveOr(n), "series entry without values: write them in promtool's notation, like \"1+2x10 _ 5 stale\"")
		return in, false
	}
	points, vok := d.values(fields["values"], t)
	in.Points = points
	return in, ok && vok
}

// metricSeries resolves `metric:` to the gauge kpic serve exports, <namespace>_<name>, with
// settings.rules.labels and the entry's labels.
func (d *fileDecoder) metricSeries(nameNode, labelsNode *yaml.Node) (labels.Labels, bool) {
	name, ok := d.name(nameNode, "metric")
	if !ok {
		return labels.EmptyLabels(), false
	}
	declared, ok := d.exportedLabels(nameNode, name)
	if !ok {
		return labels.EmptyLabels(), false
	}
	m := d.cat.Model
	b := labels.NewBuilder(labels.EmptyLabels())
	b.Set(model.MetricNameLabel, m.GaugeName(name))
	for k, v := range m.Settings.Rules.Labels {
		b.Set(k, v)
	}
	if labelsNode == nil {
		return b.Labels(), true
	}
	given, ok := d.labelMap(labelsNode, "labels")
	allowed := slices.Concat(declared, scrapeLabels)
	for _, k := range sortedKeys(given) {
		switch {
		case hasKey(m.Settings.Rules.Labels, k):
			d.errorf(labelsNode, "label %q is set by settings.rules.labels on every exported series; leave it out", k)
			ok = false
		case !slices.Contains(allowed, k):
			d.errorf(labelsNode, "metric %q has no label %q; it can have %s%s", name, k, joinKeys(allowed), definition.DidYouMean(k, allowed))
			ok = false
		default:
			b.Set(k, given[k])
		}
	}
	return b.Labels(), ok
}

// exportedLabels checks that name is exported by kpic serve and returns its declared labels.
func (d *fileDecoder) exportedLabels(n *yaml.Node, name string) ([]string, bool) {
	m := d.cat.Model
	if x := m.Metric(name); x != nil {
		if x.Expr != "" {
			d.errorf(n, "metric %q is PromQL (expr), not exported by kpic serve; give the series its expr reads with series:", name)
			return nil, false
		}
		return x.Labels, true
	}
	if k := m.KPI(name); k != nil {
		if k.Kind != definition.KindQuery {
			d.errorf(n, "kpi %q is computed by its rules (%s), not exported; give the series it is computed from", name, k.Kind)
			return nil, false
		}
		return k.Labels, true
	}
	d.errorf(n, "unknown metric %q: metric: names a SQL metric or SQL-backed KPI of the definitions%s", name, definition.DidYouMean(name, d.cat.exported()))
	return nil, false
}

// rawSeries parses `series:`, a series written as in PromQL: name{label="value", ...}.
func (d *fileDecoder) rawSeries(n *yaml.Node) (labels.Labels, bool) {
	text, ok := d.name(n, "series")
	if !ok {
		return labels.EmptyLabels(), false
	}
	lbls, err := parser.NewParser(parser.Options{}).ParseMetric(text)
	if err != nil {
		msg, offset := parseErrorAt(err)
		d.errorAt(d.offsetPos(n, offset), "series: %q is not a series like name{label=\"value\"}: %s", text, msg)
		return labels.EmptyLabels(), false
	}
	if lbls.Get(model.MetricNameLabel) == "" {
		d.errorf(n, "series: %q has no metric name; write name{label=\"value\"}", text)
		return labels.EmptyLabels(), false
	}
	return lbls, true
}

// values expands `values:` from the test's start at its interval.
func (d *fileDecoder) values(n *yaml.Node, t *Test) ([]promql.FPoint, bool) {
	text, ok := d.text(n, "values")
	if !ok {
		return nil, false
	}
	count := expandedCount(text)
	d.samples += count
	switch {
	case count > maxSeriesSamples:
		d.errorf(n, "values expand to more than %d samples, the most a series may have", maxSeriesSamples)
		return nil, false
	case d.samples > maxFileSamples:
		d.errorf(n, "the file's series expand to more than %d samples; split the tests", maxFileSamples)
		return nil, false
	}
	points, err := ruleeval.ParseValues(text, t.Start, t.Interval)
	if err != nil {
		msg, offset := parseErrorAt(err)
		d.errorAt(d.offsetPos(n, offset-len(ruleeval.ValuesPrefix)), "values: %s; write values in promtool's notation, like \"1+2x10 _ 5 stale\"", msg)
		return nil, false
	}
	return points, true
}

var repeat = regexp.MustCompile(`x\s*(\d+)`)

// expandedCount is an upper bound of the samples a values text expands to: one per term plus
// the repetitions of each `xN`; huge counts saturate.
func expandedCount(text string) int {
	n := len(strings.Fields(text))
	for _, m := range repeat.FindAllStringSubmatch(text, -1) {
		r, err := strconv.Atoi(m[1])
		if err != nil || r > maxFileSamples {
			return maxFileSamples + 1
		}
		n += r
	}
	return n
}

// parseErrorAt returns a PromQL parse error's message and its byte offset in the input.
func parseErrorAt(err error) (string, int) {
	var errs parser.ParseErrors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs[0].Err.Error(), int(errs[0].PositionRange.Start)
	}
	var one *parser.ParseErr
	if errors.As(err, &one) {
		return one.Err.Error(), int(one.PositionRange.Start)
	}
	return err.Error(), 0
}

// offsetPos is the position of a byte offset inside a scalar written on one line (plain or
// quoted without escapes); otherwise the scalar's own position.
func (d *fileDecoder) offsetPos(n *yaml.Node, offset int) definition.Pos {
	n = d.resolveOr(n)
	p := d.pos(n)
	if offset < 0 || offset > len(n.Value) || strings.ContainsAny(n.Value, "\n\\'") {
		return p
	}
	switch n.Style {
	case 0:
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		p.Col++
	default:
		return p
	}
	p.Col += len([]rune(n.Value[:offset]))
	return p
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
