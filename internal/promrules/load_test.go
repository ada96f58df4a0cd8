package promrules

import (
	"testing"

	"github.com/kpic/kpic/internal/definition"
)

// loadSmall loads testdata/small, the YAML of the test company, the way kpic build does.
func loadSmall(t testing.TB) *definition.Model {
	t.Helper()
	m, diags := definition.Load("testdata/small")
	if diags.HasErrors() {
		t.Fatalf("load testdata/small:\n%v", diags)
	}
	return m
}

// TestSmallYAMLIsTheTestModel keeps the Go test model and its YAML twin in step: both compile
// to the same rules.
func TestSmallYAMLIsTheTestModel(t *testing.T) {
	fromYAML, err := Build(loadSmall(t))
	if err != nil {
		t.Fatal(err)
	}
	fromGo, err := Build(testModel())
	if err != nil {
		t.Fatal(err)
	}
	if len(fromYAML) != len(fromGo) {
		t.Fatalf("%d files from YAML, %d from Go", len(fromYAML), len(fromGo))
	}
	for i := range fromYAML {
		if string(fromYAML[i].Data) != string(fromGo[i].Data) {
			t.Errorf("%s differs between YAML and Go:\n%s", fromYAML[i].Path, fromYAML[i].Data)
		}
	}
}
