//go:build e2e

package e2e

import (
	"testing"

	"github.com/kpic/kpic/internal/deploy"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/promrules"
	"github.com/kpic/kpic/internal/spec"
)

// compileInProcess does what kpic build does for the files the test needs (rules and the
// Alertmanager configuration), for as long as the binary's build command is not wired.
func compileInProcess(t *testing.T, out, defs string) {
	t.Helper()
	m, diags := spec.Load(defs)
	if m == nil {
		t.Fatalf("load %s:\n%v", defs, diags)
	}
	rules, err := promrules.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	files, err := deploy.Definitions(defs, m.Files)
	if err != nil {
		t.Fatal(err)
	}
	packaged, err := deploy.Build(m, append(append([]output.File(nil), rules...), files...))
	if err != nil {
		t.Fatal(err)
	}
	if err := output.Write(out, append(rules, packaged...)); err != nil {
		t.Fatal(err)
	}
}
