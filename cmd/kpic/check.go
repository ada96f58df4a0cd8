package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/report"
)

// checkFlags are kpic check's options.
type checkFlags struct {
	dir, out, format    string
	only, diff, queries bool
}

func registerCheck(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("check", "Validate the definitions and fail when the committed generated files are stale.")
	f := &checkFlags{}
	cmd.Flag("out", "Folder holding the committed deploy/ and dashboards/.").Default(".").StringVar(&f.out)
	cmd.Flag("definitions-only", "Validate the definitions only; do not compare generated files.").BoolVar(&f.only)
	cmd.Flag("diff", "Print the unified diff of every stale generated file to stdout.").BoolVar(&f.diff)
	cmd.Flag("queries", "Run every SQL query once against its source, as kpic serve does (read-only, with its timeout): a failing query is an error, one that would publish nothing useful a warning.").BoolVar(&f.queries)
	cmd.Flag("format", "Output format: text, json (for editors) or github (GitHub Actions annotations).").
		Default(report.Text).EnumVar(&f.format, report.Formats...)
	cmd.Arg("KPIDIR", "Folder of KPI definitions.").Default("kpis").StringVar(&f.dir)
	register("check", func(ctx context.Context) error { return runCheck(ctx, io, *f) })
}

// runCheck validates the definitions, optionally tries their queries, compares a fresh build
// with the files under out, and prints everything it found once, in the chosen format.
func runCheck(ctx context.Context, io streams, f checkFlags) error {
	if f.diff && f.format == report.JSON {
		return errors.New("--diff prints a unified diff, which is not JSON; use it with --format=text or github")
	}
	m, diags := definition.Load(f.dir)
	fields := newFieldFinder(f.format != report.Text)
	items := diagnosticItems(diags, fields)
	var drifts []drift
	if m != nil {
		if f.queries {
			items = sortItems(append(items, queryItems(ctx, m, fields)...))
		}
		if !f.only {
			var err error
			if drifts, err = staleFiles(m, f); err != nil {
				return err
			}
		}
	}
	if err := printCheck(io, f, items, drifts); err != nil {
		return err
	}
	if hasErrors(items) || len(drifts) > 0 {
		return exitError{code: 1}
	}
	return nil
}

// printCheck writes the findings: text on stderr (diffs on stdout), other formats on stdout.
func printCheck(io streams, f checkFlags, items []report.Item, drifts []drift) error {
	if f.diff {
		for _, d := range drifts {
			fmt.Fprint(io.stdout, d.diff)
		}
	}
	if f.format != report.Text {
		for _, d := range drifts {
			items = append(items, d.item(f))
		}
		return report.Write(io.stdout, f.format, items)
	}
	if err := report.Write(io.stderr, report.Text, items); err != nil {
		return err
	}
	if n := countErrors(items); n > 0 {
		fmt.Fprintf(io.stderr, "kpic: %d error(s) in %s\n", n, f.dir)
	}
	writeDriftSummary(io, f, drifts)
	return nil
}

// diagnosticItems turns the loader's diagnostics into report items, each once; fields are
// looked up in the files only when the format shows them.
func diagnosticItems(diags definition.Diagnostics, fields *fieldFinder) []report.Item {
	diags.Sort()
	var out []report.Item
	for i, d := range diags {
		if i > 0 && d == diags[i-1] {
			continue
		}
		out = append(out, report.Item{File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col,
			Severity: severity(d.Severity), Message: d.Message, Field: fields.at(d.Pos)})
	}
	return out
}

func severity(s definition.Severity) string {
	if s == definition.Warning {
		return report.Warning
	}
	return report.Error
}

func hasErrors(items []report.Item) bool { return countErrors(items) > 0 }

func countErrors(items []report.Item) int {
	n := 0
	for _, it := range items {
		if it.Severity == report.Error {
			n++
		}
	}
	return n
}

// buildCommand is the kpic build invocation that refreshes what check compared.
func buildCommand(f checkFlags) string { return command(f, "build") }

// diffCommand is the kpic check invocation that shows the changes.
func diffCommand(f checkFlags) string { return command(f, "check", "--diff") }

// command is kpic with the given arguments and check's --out and KPIDIR, when not the defaults.
func command(f checkFlags, args ...string) string {
	parts := append([]string{"kpic"}, args...)
	if f.out != "." {
		parts = append(parts, "--out="+shellQuote(f.out))
	}
	if f.dir != "kpis" {
		parts = append(parts, shellQuote(f.dir))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain path characters.
func shellQuote(s string) string {
	plain := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:@", r)
	}
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !plain(r) }) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// sortItems orders findings by file and position, so query findings sit among the others.
func sortItems(items []report.Item) []report.Item {
	slices.SortStableFunc(items, func(a, b report.Item) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return items
}
