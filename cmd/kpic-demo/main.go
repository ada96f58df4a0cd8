//go:build unix

// Command kpic-demo runs the live demo behind `make demo`: the demo company's SQLite database
// with live activity, kpic serve on it and, where they are installed, Prometheus with the
// generated rules, Alertmanager with the generated routes, and a local Slack webhook that prints
// each alert in the terminal. Ctrl-C stops everything.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kingpin/v2"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the flags and runs the demo until ctx ends; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := kingpin.New("kpic-demo", "Run the kpic live demo (make demo).")
	app.HelpFlag.Short('h')
	var c config
	app.Flag("dir", "Folder for the demo's database, configuration and logs.").Default(".demo").StringVar(&c.dir)
	app.Flag("kpis", "The demo company's definitions.").Default("kpis").StringVar(&c.kpis)
	app.Flag("kpic", "The kpic binary.").Default(".demo/kpic").StringVar(&c.kpic)
	app.Flag("prometheus", "The Prometheus binary; the demo runs without it when it is missing.").Default("prometheus").StringVar(&c.prometheus)
	app.Flag("alertmanager", "The Alertmanager binary.").Default("prometheus-alertmanager").StringVar(&c.alertmanager)
	app.Flag("seed", "Random seed of the demo data.").Default("1").Uint64Var(&c.seed)
	app.Flag("database-only", "Create the demo database (DIR/shop.db) and exit, without live activity or servers.").BoolVar(&c.databaseOnly)
	app.Flag("slack-webhook-url", "Also forward alerts to this real Slack incoming webhook.").Envar("SLACK_WEBHOOK_URL").StringVar(&c.slackURL)
	if _, err := app.Parse(args); err != nil {
		fmt.Fprintf(stderr, "kpic-demo: %v\n", err)
		return 2
	}
	if err := runDemo(ctx, c, stdout); err != nil {
		fmt.Fprintf(stderr, "kpic-demo: %v\n", err)
		return 1
	}
	return 0
}
