// Package textdiff compares a committed generated file with a fresh build, so that `kpic check`
// can say how much changed and `kpic check --diff` can show exactly what.
//
// The diff is Myers' algorithm as the Go team runs it in gopls (golang.org/x/tools/internal/diff,
// published as github.com/aymanbagabas/go-udiff), on whole lines: minimal for changes of up to
// about a hundred lines per file, and past that a best-effort diff in bounded time rather than a
// quadratic search. Common starts and ends always match, so a one-line change gives a one-line
// hunk however large the file is.
package textdiff

import (
	"bytes"

	"github.com/aymanbagabas/go-udiff"
)

// contextLines is the unchanged lines shown around each change, as diff -u does.
const contextLines = 3

// Change summarises how one text differs from another.
type Change struct {
	// Diff is the unified diff; empty when the texts are equal.
	Diff string
	// Added and Removed count the diff's + and - lines.
	Added, Removed int
	// Line is the 1-based line of the old text where the texts first differ, 0 when equal.
	Line int
}

// Compare diffs old against new, labelling the two sides oldName and newName.
func Compare(oldName, newName string, old, new []byte) Change {
	if bytes.Equal(old, new) {
		return Change{}
	}
	before, after := string(old), string(new)
	u, err := udiff.ToUnifiedDiff(oldName, newName, before, udiff.Lines(before, after), contextLines)
	if err != nil { // the edits come from the same texts: they always apply
		panic("textdiff: inconsistent edits: " + err.Error())
	}
	c := Change{Diff: u.String(), Line: firstDifference(old, new)}
	for _, h := range u.Hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case udiff.Insert:
				c.Added++
			case udiff.Delete:
				c.Removed++
			}
		}
	}
	return c
}

// firstDifference is the 1-based number of the first line of old that new does not share.
func firstDifference(old, new []byte) int {
	n := 0
	for n < len(old) && n < len(new) && old[n] == new[n] {
		n++
	}
	return bytes.Count(old[:n], []byte("\n")) + 1
}
