// Package textdiff compares a committed generated file with a fresh build, so that `kpic check`
// can say how much changed and `kpic check --diff` can show exactly what.
//
// The edit script is Myers' algorithm as github.com/sergi/go-diff (diff-match-patch) runs it on
// whole lines: minimal, with the common start and end of the texts always matched, so a
// one-line change gives a one-line hunk however large the file is. Only a pathological pair of
// files (hundreds of thousands of lines, mostly different) reaches the search's time limit,
// past which the rest of that file shows as replaced rather than the check hanging.
package textdiff

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// contextLines is the unchanged lines shown around each change, as diff -u does.
const contextLines = 3

// searchLimit bounds the time the diff of one file may take.
const searchLimit = 2 * time.Second

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
	ops := edits(string(old), string(new))
	c := Change{Line: firstDifference(old, new)}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops, contextLines) {
		writeHunk(&sb, h)
	}
	c.Diff = sb.String()
	for _, o := range ops {
		switch o.kind {
		case '+':
			c.Added++
		case '-':
			c.Removed++
		}
	}
	return c
}

// op is one line of the edit script: ' ' kept, '-' removed, '+' added.
type op struct {
	kind       byte
	line       string
	aIdx, bIdx int // 0-based positions in a and b before this line
}

// edits is the line edit script turning a into b.
func edits(a, b string) []op {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = searchLimit
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	var out []op
	i, j := 0, 0
	for _, d := range diffs {
		for _, line := range splitLines(d.Text) {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				out = append(out, op{' ', line, i, j})
				i, j = i+1, j+1
			case diffmatchpatch.DiffDelete:
				out = append(out, op{'-', line, i, j})
				i++
			case diffmatchpatch.DiffInsert:
				out = append(out, op{'+', line, i, j})
				j++
			}
		}
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// firstDifference is the 1-based number of the first line of old that new does not share.
func firstDifference(old, new []byte) int {
	n := 0
	for n < len(old) && n < len(new) && old[n] == new[n] {
		n++
	}
	return bytes.Count(old[:n], []byte("\n")) + 1
}
