package main

import (
	"context"
	"errors"

	"github.com/alecthomas/kingpin/v2"
)

// registerServe adds `kpic serve`, the exporter. (Being written: see issue 3.)
func registerServe(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	app.Command("serve", "Run the exporter: publish SQL-backed metrics as Prometheus gauges.")
	register("serve", func(context.Context) error { return errors.New("not implemented yet") })
}
