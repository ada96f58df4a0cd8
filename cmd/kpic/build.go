package main

import (
	"context"
	"errors"

	"github.com/alecthomas/kingpin/v2"
)

func registerBuild(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	app.Command("build", "Compile the definitions into deploy/ and dashboards/.")
	register("build", func(context.Context) error { return errors.New("not implemented yet") })
}

func registerCheck(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	app.Command("check", "Validate the definitions and fail when generated files are stale.")
	register("check", func(context.Context) error { return errors.New("not implemented yet") })
}
