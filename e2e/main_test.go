//go:build e2e

// Package e2e runs kpic end to end against the real things: the kpic binary (build and serve),
// Debian's Prometheus and Alertmanager, SQLite and PostgreSQL, and a Slack webhook receiver.
// Run it with `make e2e` (go test -tags e2e ./e2e/...).
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// kpicBin is the kpic binary under test: $KPIC_BIN, or one TestMain builds.
var kpicBin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	kpicBin = os.Getenv("KPIC_BIN")
	if kpicBin == "" {
		dir, err := os.MkdirTemp("", "kpic-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		kpicBin = filepath.Join(dir, "kpic")
		build := exec.Command("go", "build", "-o", kpicBin, "../cmd/kpic")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "build kpic: %v\n", err)
			return 1
		}
	}
	return m.Run()
}

// need returns the path of a required program, skipping the test when it is missing, or failing
// it when CI=true.
func need(t *testing.T, program, install string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		unavailable(t, "%s is not installed; %s", program, install)
	}
	return path
}

// unavailable skips the test for a missing service, or fails it in CI where everything must run.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

const installPrometheus = "install it with `make install-prometheus` (sudo apt-get install -y prometheus prometheus-alertmanager)"
