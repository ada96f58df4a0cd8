package kpitest

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary text to the test file loader: it must never panic, and a file it
// accepts has tests whose expectations all name a KPI of the catalog.
func FuzzParse(f *testing.F) {
	c := catalog(f)
	for _, glob := range []string{"testdata/catalog/*_test.yaml", "testdata/fail/*.yaml", "testdata/invalid/*.yaml", "../../kpis/*_test.yaml"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, diags := Parse("f_test.yaml", data, c)
		if diags.HasErrors() {
			return
		}
		for _, test := range file.Tests {
			for _, x := range test.Expect {
				if c.Model.KPI(x.KPI) == nil {
					t.Fatalf("accepted an expectation of unknown kpi %q", x.KPI)
				}
			}
		}
	})
}
