package kpitest

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kpic/kpic/internal/definition"
)

var expectKeys = []string{"at", "kpi", "labels", "value", "target", "attainment", "forecast", "status", "alerts"}

// checkKeys are the expectation fields that check something; an expectation needs one.
var checkKeys = []string{"value", "target", "attainment", "forecast", "status", "alerts"}

// expectations reads `expect:`, which every test needs: a test without one cannot fail.
func (d *fileDecoder) expectations(fields map[string]*yaml.Node, n *yaml.Node, t *Test) {
	if fields["expect"] == nil {
		d.errorf(d.resolveOr(n), "test without expect: list what the KPIs must show at given times (a test must be able to fail)")
		return
	}
	items, ok := d.list(fields["expect"], "expect")
	if !ok {
		return
	}
	if len(items) == 0 {
		d.errorf(fields["expect"], "expect is empty: list what the KPIs must show at given times")
	}
	for _, item := range items {
		if e, ok := d.expectation(item); ok {
			t.Expect = append(t.Expect, e)
		}
	}
}

// expectation decodes one expectation and checks its names against the catalog.
func (d *fileDecoder) expectation(n *yaml.Node) (*Expectation, bool) {
	fields, ok := d.mapping(n, "expectation", expectKeys)
	if !ok {
		return nil, false
	}
	before := len(*d.diags)
	e := &Expectation{Pos: d.pos(d.resolveOr(n))}
	d.at(fields, n, e)
	k := d.kpi(fields, n, e)
	if fields["labels"] != nil && k != nil {
		e.Labels = d.breakdown(fields["labels"], k)
	}
	e.Value = d.expectNumber(fields["value"], "value")
	e.Target = d.expectNumber(fields["target"], "target")
	e.Attainment = d.expectNumber(fields["attainment"], "attainment")
	e.Forecast = d.expectNumber(fields["forecast"], "forecast")
	e.Status = d.status(fields["status"])
	e.Alerts = d.alerts(fields["alerts"])
	if !slices.ContainsFunc(checkKeys, func(k string) bool { return fields[k] != nil }) {
		d.errorf(d.resolveOr(n), "expectation checks nothing: give one or more of %s", joinKeys(checkKeys))
	}
	return e, len(*d.diags) == before
}

// at reads the required instant, relative to the test's start.
func (d *fileDecoder) at(fields map[string]*yaml.Node, n *yaml.Node, e *Expectation) {
	if fields["at"] == nil {
		d.errorf(d.resolveOr(n), "expectation without at: the time to check, from the test's start (30m, 2h, 1d12h)")
		return
	}
	e.At, _ = d.duration(fields["at"], "at", 0)
	e.AtText = strings.TrimSpace(d.resolveOr(fields["at"]).Value)
	e.AtPos = d.pos(d.resolveOr(fields["at"]))
}

// kpi reads the required KPI name; an unknown one is reported with the nearest KPI.
func (d *fileDecoder) kpi(fields map[string]*yaml.Node, n *yaml.Node, e *Expectation) *definition.KPI {
	if fields["kpi"] == nil {
		d.errorf(d.resolveOr(n), "expectation without kpi: the KPI to check, by name")
		return nil
	}
	name, ok := d.name(fields["kpi"], "kpi")
	if !ok {
		return nil
	}
	e.KPI = name
	k := d.cat.Model.KPI(name)
	if k == nil {
		d.errorf(fields["kpi"], "unknown kpi %q%s", name, definition.DidYouMean(name, d.cat.kpiNames()))
	}
	return k
}

// breakdown reads the labels that pick one series of a KPI with `by`.
func (d *fileDecoder) breakdown(n *yaml.Node, k *definition.KPI) map[string]string {
	given, _ := d.labelMap(n, "labels")
	if len(k.By) == 0 {
		d.errorf(n, "kpi %q has no breakdown (by:), so it has one series; leave labels out", k.Name)
		return nil
	}
	for _, l := range sortedKeys(given) {
		if !slices.Contains(k.By, l) {
			d.errorf(n, "kpi %q is broken down by %s, not %q%s", k.Name, joinKeys(k.By), l, definition.DidYouMean(l, k.By))
		}
	}
	return given
}

func (d *fileDecoder) expectNumber(n *yaml.Node, what string) *Number {
	if n == nil {
		return nil
	}
	v, ok := d.number(n, what)
	if !ok {
		return nil
	}
	return &Number{Want: v, Pos: d.pos(d.resolveOr(n))}
}

// status reads a status word.
func (d *fileDecoder) status(n *yaml.Node) *Status {
	if n == nil {
		return nil
	}
	w, ok := d.name(n, "status")
	if !ok {
		return nil
	}
	if !slices.Contains(statusWords, w) {
		d.errorf(n, "status %q is not one of %s%s", w, joinKeys(statusWords), definition.DidYouMean(w, statusWords))
		return nil
	}
	return &Status{Want: w, Pos: d.pos(d.resolveOr(n))}
}

// alerts reads the list of alert names expected to fire; [] expects none.
func (d *fileDecoder) alerts(n *yaml.Node) *AlertNames {
	if n == nil {
		return nil
	}
	items, ok := d.list(n, "alerts")
	if !ok {
		return nil
	}
	out := &AlertNames{Want: []string{}, Pos: d.pos(d.resolveOr(n))}
	for _, item := range items {
		name, ok := d.name(item, "alert name")
		switch {
		case !ok:
		case !slices.Contains(d.cat.alerts, name):
			d.errorf(item, "unknown alert %q: the rules define %s%s", name, joinKeys(d.cat.alerts), definition.DidYouMean(name, d.cat.alerts))
		case slices.Contains(out.Want, name):
			d.errorf(item, "alert %q is listed twice", name)
		default:
			out.Want = append(out.Want, name)
		}
	}
	slices.Sort(out.Want)
	return out
}
