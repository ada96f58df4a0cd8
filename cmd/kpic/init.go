package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/starter"
)

// registerInit adds `kpic init`, which writes a starter definitions folder.
func registerInit(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("init", "Write a starter definitions folder: settings, a seeded SQLite source, a team, an objective, two metrics, two KPIs and a test file. Never overwrites a file.")
	dir := cmd.Arg("DIR", "Folder to write (created when missing).").Default("kpis").String()
	register("init", func(context.Context) error { return runInit(io, *dir, time.Now()) })
}

// runInit writes the starter folder and says what to run next.
func runInit(io streams, dir string, now time.Time) error {
	schema, err := definition.SchemaJSON()
	if err != nil {
		return err
	}
	written, err := starter.Write(dir, starter.Options{Year: now.UTC().Year(), Schema: schema})
	if err != nil {
		return err
	}
	for _, p := range written {
		fmt.Fprintf(io.stdout, "kpic: wrote %s\n", p)
	}
	d := filepath.Clean(dir)
	fmt.Fprintf(io.stdout, `
Next:
  kpic test %[1]s                    # runs the example's tests on the generated rules
  kpic build %[1]s                   # writes deploy/ and dashboards/ (commit them)
  kpic check %[1]s                   # what CI runs: the definitions, and generated files up to date
  kpic serve --config.dir=%[1]s      # exports the example's SQL metrics on :10863/metrics
Editors with the YAML language server complete and document the fields from %[1]s/%[2]s.
`, d, starter.SchemaFile)
	return nil
}
