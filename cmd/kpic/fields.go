package main

import (
	"os"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/report"
)

// fieldFinder names the YAML field at a diagnostic's position, reading each file once.
type fieldFinder struct {
	enabled bool
	files   map[string][]byte
}

// noFields finds no fields: for output that does not show them.
var noFields = newFieldFinder(false)

func newFieldFinder(enabled bool) *fieldFinder {
	return &fieldFinder{enabled: enabled, files: map[string][]byte{}}
}

func (ff *fieldFinder) at(p definition.Pos) string {
	if !ff.enabled || p.Line == 0 {
		return ""
	}
	data, ok := ff.files[p.File]
	if !ok {
		data, _ = os.ReadFile(p.File) // unreadable: the finding simply names no field
		ff.files[p.File] = data
	}
	return report.FieldAt(data, p.Line, p.Col)
}
