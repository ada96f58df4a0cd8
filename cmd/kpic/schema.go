package main

import (
	"context"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/definition"
)

// registerSchema adds `kpic schema`, which prints the JSON Schema editors validate and complete
// definitions with.
func registerSchema(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	app.Command("schema", "Print the JSON Schema (draft 2020-12) of the definition files, for editors.")
	register("schema", func(context.Context) error {
		s, err := definition.SchemaJSON()
		if err != nil {
			return err
		}
		_, err = io.stdout.Write(s)
		return err
	})
}
