package dashboard

import (
	"testing"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/definition/definitiontest"
)

// BenchmarkBuild10000KPIs builds the dashboards of 10,000 KPIs, their 10,000 metrics, 2,000
// objectives and ten teams.
func BenchmarkBuild10000KPIs(b *testing.B) {
	m, diags := definition.LoadFS(definitiontest.FS(10000), "kpis")
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(m); err != nil {
			b.Fatal(err)
		}
	}
}
