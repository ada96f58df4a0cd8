package kpitest

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kpic/kpic/internal/definition"
)

// TestHostileInput checks that test files meant to hang or exhaust the loader give an error
// naming the file instead.
func TestHostileInput(t *testing.T) {
	c := catalog(t)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"an alias bomb stops at the node budget", aliasBomb(1000), "too many nodes"},
		{"a file over 4 MiB is refused before parsing", []byte("# " + strings.Repeat("x", definition.MaxFileSize)), "x_test.yaml:1:1: file is larger than 4 MiB"},
		{"a NUL byte marks a binary file", []byte("tests:\n\x00"), "x_test.yaml:2:1: file contains a NUL byte"},
		{"deep nesting stops at the parser's depth limit", []byte("tests: " + strings.Repeat("[", 100000)), "x_test.yaml:1:1: YAML syntax error"},
		{"thousands of errors stop at a hundred", []byte("tests:\n" + strings.Repeat("  - 1\n", 5000)), "more than 100 errors in this file"},
		{"a repeat count past int64 is refused", []byte("tests:\n  - name: x\n    series: [{metric: cost_dollars, values: \"1x99999999999999999999999\"}]\n    expect: [{at: 0s, kpi: revenue_dollars, status: green}]\n"), "values expand to more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			began := time.Now()
			_, diags := LoadFS(fstest.MapFS{"x_test.yaml": {Data: tt.data}}, "", c)
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.want) {
				t.Errorf("want an error containing %q, got:\n%.2000s", tt.want, diags.Error())
			}
			if len(diags) > 102 {
				t.Errorf("%d diagnostics, want at most 102", len(diags))
			}
			t.Logf("took %s", time.Since(began))
		})
	}
}

// aliasBomb builds a test file of n aliases of one test whose series are n aliases of one
// series: n*n series entries from a few lines.
func aliasBomb(n int) []byte {
	refs := func(name string) string { return strings.TrimSuffix(strings.Repeat("*"+name+", ", n), ", ") }
	return []byte(fmt.Sprintf("s: &s {metric: cost_dollars, values: \"1\"}\n"+
		"t: &t {name: bomb, expect: [{at: 0s, kpi: revenue_dollars, status: green}], series: [%s]}\n"+
		"tests: [%s]\n", refs("s"), refs("t")))
}
