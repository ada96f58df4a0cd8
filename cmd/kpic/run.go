package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/version"
)

// exitError carries an exit code out of a command; its message, if any, is already printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// streams are where a command writes; tests pass buffers.
type streams struct {
	stdout, stderr io.Writer
}

// Run executes the kpic command line args and returns the process exit code. It is main without
// the process: tests drive the whole CLI through it in-process.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := kingpin.New("kpic", "KPIs as code: compile KPI definitions into Prometheus rules and Grafana dashboards, and export SQL metrics.")
	app.Writer(stdout)
	app.ErrorWriter(stderr)
	app.UsageWriter(stdout)
	// kingpin "terminates" after printing help or the version; parse stops there and Run
	// returns instead of exiting the process or running the command.
	app.Terminate(func(int) { panic(terminated{}) })
	app.HelpFlag.Short('h')
	stampOnce.Do(func() { stampVersion(debug.ReadBuildInfo()) })
	app.Version(version.Print("kpic"))
	io := streams{stdout: stdout, stderr: stderr}

	handlers := map[string]func(context.Context) error{}
	register := func(name string, h func(context.Context) error) { handlers[name] = h }
	registerBackfill(app, io, register)
	registerBuild(app, io, register)
	registerCheck(app, io, register)
	registerDiff(app, io, register)
	registerQuery(app, io, register)
	registerServe(app, io, register)
	registerSchema(app, io, register)
	registerInit(app, io, register)
	registerTest(app, io, register)
	registerVersion(app, io, register)

	cmd, done, err := parse(app, args)
	if done { // help or version was printed
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "kpic: %v\n", err)
		return 2
	}
	if cmd == "" {
		return 0
	}
	if err := handlers[cmd](ctx); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		fmt.Fprintf(stderr, "kpic %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// terminated is how kingpin's terminate hook stops parsing after help or version output.
type terminated struct{}

// parse runs kingpin's parser; done reports that it printed help or the version.
func parse(app *kingpin.Application, args []string) (cmd string, done bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(terminated); !ok {
				panic(r)
			}
			done = true
		}
	}()
	cmd, err = app.Parse(args)
	return cmd, false, err
}
