package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
)

func registerBuild(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("build", "Compile the definitions into deploy/ and dashboards/.")
	out := cmd.Flag("out", "Folder that receives deploy/ and dashboards/.").Default(".").String()
	dir := cmd.Arg("KPIDIR", "Folder of KPI definitions.").Default("kpis").String()
	register("build", func(context.Context) error { return runBuild(io, *dir, *out) })
}

// runBuild loads and compiles the definitions, then writes every file, or nothing when any
// definition or compiler fails.
func runBuild(io streams, dir, out string) error {
	defer tuneGC()()
	m, err := load(io, dir)
	if err != nil {
		return err
	}
	files, err := compile(m, dir, func(w string) { fmt.Fprintln(io.stderr, "kpic build: warning:", w) })
	if err != nil {
		return err
	}
	old, err := readManifest(out)
	if err != nil {
		return err
	}
	if err := output.Write(out, files); err != nil {
		return err
	}
	removed, err := removeOrphans(out, old, files)
	if err != nil {
		return err
	}
	if err := writeManifest(out, files); err != nil {
		return err
	}
	fmt.Fprintf(io.stdout, "kpic: wrote %d files under %s", len(files), filepath.Clean(out))
	if len(removed) > 0 {
		fmt.Fprintf(io.stdout, ", removed %d no longer generated", len(removed))
	}
	fmt.Fprintln(io.stdout)
	return nil
}

// tuneGC sets the collector's target for a build and returns what restores it. A build keeps
// every file in memory until it writes them all, so its heap only grows and each collection
// mostly rescans what stays live: collecting at 300% rather than 100% growth spent a fifth less
// CPU on 10,000 KPIs for the same peak memory (measured with GOGC). GOGC, when set, wins.
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(300)
	return func() { debug.SetGCPercent(old) }
}

// load reads and validates dir, printing every diagnostic; it fails when any is an error.
func load(io streams, dir string) (*definition.Model, error) {
	return loadShowing(io, dir, true)
}

// loadShowing is load; warnings prints the warnings too, not only the errors.
func loadShowing(io streams, dir string, warnings bool) (*definition.Model, error) {
	m, diags := definition.Load(dir)
	diags.Sort()
	for _, d := range diags {
		if warnings || d.Severity == definition.Error {
			fmt.Fprintln(io.stderr, d.String())
		}
	}
	if n := len(diags.Errors()); n > 0 {
		fmt.Fprintf(io.stderr, "kpic: %d error(s) in %s\n", n, dir)
		return nil, exitError{code: 1}
	}
	return m, nil
}
