package deploy

import (
	"path/filepath"
	"testing"
)

func BenchmarkBuild(b *testing.B) {
	m := smallModel(b, FormatMimir)
	in := readTree(b, filepath.Join("testdata", "small"))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(m, in); err != nil {
			b.Fatal(err)
		}
	}
}
