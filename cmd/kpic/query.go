package main

import (
	"context"
	"fmt"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/exporter"
	"github.com/kpic/kpic/internal/report"
	"github.com/kpic/kpic/internal/source"
)

func registerQuery(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("query", "Run SQL-backed metrics' queries once and print the series kpic serve would publish now.")
	dir := cmd.Flag("config.dir", "Folder of KPI definitions (*.yaml).").Default("kpis").String()
	names := cmd.Arg("METRIC", "Metrics or SQL-backed KPIs to run.").Required().Strings()
	register("query", func(ctx context.Context) error { return runQuery(ctx, io, *dir, *names) })
}

// runQuery prints, in the exposition format, what each named query publishes now; notes about
// skipped rows go to stderr. Any failure exits 1 after the other queries printed.
func runQuery(ctx context.Context, io streams, dir string, names []string) error {
	m, err := load(io, dir)
	if err != nil {
		return err
	}
	exports, unknown := pickExports(m, names)
	for _, err := range unknown {
		fmt.Fprintf(io.stderr, "kpic query: %v\n", err)
	}
	failed := len(unknown) > 0
	down := map[string]bool{}
	for _, t := range exporter.Try(ctx, m, source.OSEnv(), exports) {
		if _, err := io.stdout.Write(t.Text); err != nil {
			return err
		}
		for _, it := range trialItems(m, t, noFields, down) {
			fmt.Fprintln(io.stderr, it.String())
			failed = failed || it.Severity == report.Error
		}
	}
	if failed {
		return exitError{code: 1}
	}
	return nil
}

// pickExports finds the exported query of each name, explaining names that have none.
func pickExports(m *definition.Model, names []string) ([]definition.Export, []error) {
	byName := map[string]definition.Export{}
	var all []string
	for _, x := range m.Exported() {
		byName[x.Name] = x
		all = append(all, x.Name)
	}
	var out []definition.Export
	var errs []error
	for _, n := range names {
		if x, ok := byName[n]; ok {
			out = append(out, x)
			continue
		}
		errs = append(errs, notExported(m, n, all))
	}
	return out, errs
}

// notExported explains why kpic serve runs no query for name.
func notExported(m *definition.Model, name string, exported []string) error {
	if k := m.KPI(name); k != nil {
		return fmt.Errorf("%s: kpi %q is computed by Prometheus (from its %s), not by a query of kpic serve; kpic query runs SQL-backed metrics and KPIs", k.Pos, name, k.Kind)
	}
	if x := m.Metric(name); x != nil {
		return fmt.Errorf("%s: metric %q is a PromQL expression evaluated by Prometheus, not a query of kpic serve", x.Pos, name)
	}
	hint := ""
	if near := definition.Nearest(name, exported); near != "" {
		hint = fmt.Sprintf("; did you mean %q?", near)
	}
	return fmt.Errorf("no metric or KPI named %q%s", name, hint)
}
