// Command kpic compiles KPI definitions into Prometheus rules, Grafana dashboards and deploy
// files, checks them in CI, and serves SQL-backed metrics as a Prometheus exporter.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
