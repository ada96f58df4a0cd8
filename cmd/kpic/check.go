package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/textdiff"
)

func registerCheck(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("check", "Validate the definitions and fail when the committed generated files are stale.")
	out := cmd.Flag("out", "Folder holding the committed deploy/ and dashboards/.").Default(".").String()
	only := cmd.Flag("definitions-only", "Validate the definitions only; do not compare generated files.").Bool()
	dir := cmd.Arg("KPIDIR", "Folder of KPI definitions.").Default("kpis").String()
	register("check", func(context.Context) error { return runCheck(io, *dir, *out, *only) })
}

// runCheck validates dir and, unless only, compares a fresh build with the files under out,
// printing a unified diff of each stale file.
func runCheck(io streams, dir, out string, only bool) error {
	m, err := load(io, dir)
	if err != nil {
		return err
	}
	files, err := compile(m, dir)
	if err != nil {
		return err
	}
	if only {
		return nil
	}
	previous, err := readManifest(out)
	if err != nil {
		return err
	}
	stale, err := output.Stale(out, append(files, manifestFile(files)))
	if err != nil {
		return err
	}
	gone := existing(out, orphans(previous, files))
	if len(stale) == 0 && len(gone) == 0 {
		return nil
	}
	reportDrift(io, stale, gone)
	fmt.Fprintf(io.stderr, "kpic: %d generated file(s) differ from a fresh build of %s; run `kpic build` and commit the result\n", len(stale)+len(gone), dir)
	return exitError{code: 1}
}

func reportDrift(io streams, stale []output.Drift, gone []string) {
	for _, d := range stale {
		old := "a/" + d.File.Path
		if d.OnDisk == nil {
			old = "/dev/null"
		}
		fmt.Fprint(io.stdout, textdiff.Unified(old, "b/"+d.File.Path, string(d.OnDisk), string(d.File.Data), 3))
	}
	for _, p := range gone {
		fmt.Fprintf(io.stdout, "--- a/%s\n+++ /dev/null\n(no longer generated: remove it)\n", p)
	}
}

// existing keeps the paths that are still on disk under out.
func existing(out string, paths []string) []string {
	var keep []string
	for _, p := range paths {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err == nil {
			keep = append(keep, p)
		}
	}
	return keep
}
