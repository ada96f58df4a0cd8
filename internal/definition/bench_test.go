package definition_test

import (
	"testing"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/definition/definitiontest"
)

// TestGenerated checks that the generator's folders load cleanly, so benchmarks measure a valid model.
func TestGenerated(t *testing.T) {
	m, diags := definition.LoadFS(definitiontest.FS(42), "kpis")
	if len(diags) > 0 || m == nil {
		t.Fatalf("want a clean load, got:\n%v", diags)
	}
	if len(m.KPIs) != 42 || len(m.Metrics) != 42 {
		t.Errorf("want 42 KPIs and metrics, got %d and %d", len(m.KPIs), len(m.Metrics))
	}
}

// BenchmarkLoad10000 loads a folder of 10,000 KPIs and their 10,000 metrics.
func BenchmarkLoad10000(b *testing.B) {
	fsys := definitiontest.FS(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := definition.LoadFS(fsys, "kpis"); diags.HasErrors() {
			b.Fatal(diags.Error())
		}
	}
}
