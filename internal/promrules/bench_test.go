package promrules

import "testing"

// BenchmarkBuild10000KPIs compiles and renders the rule files of 10,000 KPIs.
func BenchmarkBuild10000KPIs(b *testing.B) {
	m := generatedModel(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(m); err != nil {
			b.Fatal(err)
		}
	}
}
