package main

import (
	"context"
	"fmt"
	"os"
	"regexp"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/kpitest"
	"github.com/kpic/kpic/internal/promrules"
)

// testFlags are the options of kpic test.
type testFlags struct {
	dir   string
	junit string
	run   string
}

func registerTest(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("test", "Run the *_test.yaml files beside the definitions on the generated rules.")
	var f testFlags
	cmd.Flag("junit", "Also write a JUnit XML report to this file.").PlaceHolder("FILE").StringVar(&f.junit)
	cmd.Flag("run", "Run only the tests whose name matches this regular expression.").PlaceHolder("REGEXP").StringVar(&f.run)
	cmd.Arg("KPIDIR", "Folder of KPI definitions and their tests.").Default("kpis").StringVar(&f.dir)
	register("test", func(context.Context) error { return runTests(io, f) })
}

// runTests loads the definitions and their test files, runs the tests on the compiled rules and
// prints every failure; it fails when a file has errors or any test fails.
func runTests(io streams, f testFlags) error {
	var run *regexp.Regexp
	if f.run != "" {
		re, err := regexp.Compile(f.run)
		if err != nil {
			return fmt.Errorf("--run: %w", err)
		}
		run = re
	}
	m, err := load(io, f.dir)
	if err != nil {
		return err
	}
	ruleFiles, err := promrules.Groups(m)
	if err != nil {
		return fmt.Errorf("compile rules: %w", err)
	}
	var groups []rulefmt.RuleGroup
	for _, rf := range ruleFiles {
		groups = append(groups, rf.Groups...)
	}
	cat := kpitest.NewCatalog(m, groups)
	files, diags := kpitest.Load(f.dir, cat)
	for _, d := range diags {
		fmt.Fprintln(io.stderr, d.String())
	}
	if diags.HasErrors() {
		fmt.Fprintf(io.stderr, "kpic: %d error(s) in the test files of %s\n", len(diags.Errors()), f.dir)
		return withJUnit(f.junit, nil, diags, exitError{code: 1})
	}
	results := kpitest.Run(cat, files, kpitest.Options{Run: run})
	return withJUnit(f.junit, results, diags, reportTests(io, f.dir, files, results))
}

// reportTests prints each failure and a summary line; it fails when any test failed.
func reportTests(io streams, dir string, files []*kpitest.File, results []kpitest.Result) error {
	failed := 0
	for _, r := range results {
		for _, fl := range r.Failures {
			fmt.Fprintln(io.stderr, fl.String())
		}
		if r.Failed() {
			failed++
		}
	}
	switch {
	case len(files) == 0:
		fmt.Fprintf(io.stderr, "kpic: no test files (*_test.yaml) in %s\n", dir)
	case len(results) == 0:
		fmt.Fprintf(io.stderr, "kpic: no test matches --run\n")
	case failed > 0:
		fmt.Fprintf(io.stderr, "kpic: %d of %d tests failed\n", failed, len(results))
		return exitError{code: 1}
	default:
		fmt.Fprintf(io.stdout, "kpic: %d tests passed (%d files)\n", len(results), len(files))
	}
	return nil
}

// withJUnit writes the JUnit report when asked, then returns err (or the write's error).
func withJUnit(path string, results []kpitest.Result, diags definition.Diagnostics, err error) error {
	if path == "" {
		return err
	}
	out, ferr := os.Create(path)
	if ferr != nil {
		return fmt.Errorf("--junit: %w", ferr)
	}
	werr := kpitest.WriteJUnit(out, results, diags)
	if cerr := out.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("--junit: %w", werr)
	}
	return err
}
