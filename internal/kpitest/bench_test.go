package kpitest

import (
	"regexp"
	"testing"
)

// BenchmarkForecastTest runs the catalog's at-risk test: 46 evaluations of one KPI's rules and
// alerts with a 1h forecast window (the demo's 7d window at 30s needs 10080 evaluations, about
// 220 times as many, each reading a longer history).
func BenchmarkForecastTest(b *testing.B) {
	c := catalog(b)
	files, diags := Load("testdata/catalog", c)
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	opts := Options{Run: regexp.MustCompile("at risk once the forecast"), Parallel: 1}
	for b.Loop() {
		if r := Run(c, files, opts); len(r) != 1 || r[0].Failed() {
			b.Fatalf("%+v", r)
		}
	}
}
