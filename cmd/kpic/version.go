package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/version"
)

func registerVersion(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	app.Command("version", "Print the version.")
	register("version", func(context.Context) error {
		_, err := fmt.Fprintln(io.stdout, version.Print("kpic"))
		return err
	})
}

var stampOnce sync.Once

// stampVersion fills what -ldflags did not set from the binary's build information, so that
// `go install github.com/kpic/kpic/cmd/kpic@v1.2.0` reports v1.2.0 and a plain `go build` in a
// checkout reports its commit and commit time. ldflags (make build) always win.
func stampVersion(info *debug.BuildInfo, ok bool) {
	if !ok {
		return
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if version.Version == "" {
		version.Version = moduleVersion(info.Main.Version)
	}
	if rev := settings["vcs.revision"]; version.Revision == "" && rev != "" {
		if settings["vcs.modified"] == "true" {
			rev += "-modified"
		}
		version.Revision = rev
	}
	if version.BuildDate == "" {
		version.BuildDate = settings["vcs.time"]
	}
}

// moduleVersion is the main module's version, "devel" for a build outside any module version.
func moduleVersion(v string) string {
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return v
}
