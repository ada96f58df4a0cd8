package kpitest

import (
	"time"

	"gopkg.in/yaml.v3"
)

var testKeys = []string{"name", "interval", "start", "series", "expect"}

// maxSteps bounds how many evaluation instants a test may span, so that `at: 10y` fails at
// load time instead of running for hours.
const maxSteps = 200_000

// test decodes one test. Its expectations come first: the default start is the start of the
// first expected KPI's objective period, and the input values are laid out from the start.
func (d *fileDecoder) test(n *yaml.Node) (*Test, bool) {
	fields, ok := d.mapping(n, "test", testKeys)
	if !ok {
		return nil, false
	}
	before := len(*d.diags)
	t := &Test{Pos: d.pos(d.resolveOr(n))}
	d.testName(fields, n, t)
	d.expectations(fields, n, t)
	d.startAndInterval(fields, t)
	if fields["series"] != nil && t.Interval > 0 {
		d.inputs(fields["series"], t)
	}
	return t, len(*d.diags) == before
}

// resolveOr is the node an alias names, without counting it again.
func (d *fileDecoder) resolveOr(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// testName reads the required, unique name.
func (d *fileDecoder) testName(fields map[string]*yaml.Node, n *yaml.Node, t *Test) {
	if fields["name"] == nil {
		d.errorf(d.resolveOr(n), "test without a name: every test has `name:`, which failures and --run use")
		return
	}
	name, ok := d.name(fields["name"], "name of the test")
	if !ok {
		return
	}
	t.Name, t.Pos = name, d.pos(d.resolveOr(fields["name"]))
	if line, dup := d.names[name]; dup {
		d.errorf(fields["name"], "duplicate test name %q (first at line %d)", name, line)
		return
	}
	d.names[name] = t.Pos.Line
}

// startAndInterval reads start (default: the first expected KPI's objective start) and
// interval (default: settings.rules.interval), and bounds the span of the expectations.
func (d *fileDecoder) startAndInterval(fields map[string]*yaml.Node, t *Test) {
	t.Interval = time.Duration(d.cat.Model.Settings.Rules.Interval)
	if n := fields["interval"]; n != nil {
		t.Interval, _ = d.duration(n, "interval", time.Millisecond)
	}
	if t.Interval <= 0 && fields["interval"] == nil {
		t.Interval = time.Minute
	}
	if n := fields["start"]; n != nil {
		t.Start, _ = d.instant(n, "start")
	} else if len(t.Expect) > 0 {
		if k := d.cat.Model.KPI(t.Expect[0].KPI); k != nil {
			if o := d.cat.Model.Objective(k.Objective); o != nil {
				t.Start = o.Period.StartTime()
			}
		}
	}
	step := d.cat.interval()
	for _, e := range t.Expect {
		if e.At/step > maxSteps {
			d.errorAt(e.AtPos, "at %s needs %d evaluations at the %s rules interval; a test may span at most %d (move start closer)",
				e.AtText, e.At/step, step, maxSteps)
		}
	}
}

// inputs reads the input series.
func (d *fileDecoder) inputs(n *yaml.Node, t *Test) {
	items, ok := d.list(n, "series")
	if !ok {
		return
	}
	seen := map[string]int{}
	for _, item := range items {
		in, ok := d.input(item, t)
		if !ok {
			continue
		}
		key := in.Labels.String()
		if line, dup := seen[key]; dup {
			d.errorf(item, "series %s is given twice (first at line %d)", key, line)
			continue
		}
		seen[key] = in.Pos.Line
		t.Inputs = append(t.Inputs, in)
	}
}
