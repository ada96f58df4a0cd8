package main

import (
	"context"

	"github.com/alecthomas/kingpin/v2"

	"github.com/kpic/kpic/internal/review"
)

func registerDiff(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("diff", "Describe what changed between two versions of the definitions, for a pull request.")
	base := cmd.Arg("BASE_KPIDIR", "Folder of the definitions before the change (e.g. a checkout of the base branch).").Required().String()
	head := cmd.Arg("KPIDIR", "Folder of the definitions after the change.").Default("kpis").String()
	register("diff", func(context.Context) error { return runDiff(io, *base, *head) })
}

// runDiff prints the head's warnings only: the base's are not what the change is about, and a
// warning both versions have would print twice.
func runDiff(io streams, baseDir, headDir string) error {
	base, err := loadShowing(io, baseDir, false)
	if err != nil {
		return err
	}
	head, err := load(io, headDir)
	if err != nil {
		return err
	}
	return review.WriteMarkdown(io.stdout, review.Compare(base, head))
}
