// Package textdiff renders line-based unified diffs, so that `kpic check` can show a reviewer
// exactly how a committed generated file differs from a fresh build.
package textdiff

import (
	"fmt"
	"strings"
)

// maxCells bounds the edit table; beyond it the differing middle is shown as one replacement.
const maxCells = 16 << 20

// Unified returns a unified diff from old to new with context lines around each change, labelled
// with the two names, or "" when the texts are equal.
func Unified(oldName, newName, oldText, newText string, context int) string {
	if oldText == newText {
		return ""
	}
	a, b := splitLines(oldText), splitLines(newText)
	ops := edits(a, b)
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops, context) {
		writeHunk(&sb, h)
	}
	return sb.String()
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

// op is one line of the edit script: ' ' kept, '-' removed, '+' added.
type op struct {
	kind       byte
	line       string
	aIdx, bIdx int // 0-based positions in a and b before this line
}

// edits returns an edit script turning a into b: common prefix and suffix are kept, the middle is
// aligned by a longest common subsequence when it is small enough.
func edits(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var out []op
	for i := 0; i < pre; i++ {
		out = append(out, op{' ', a[i], i, i})
	}
	out = append(out, middle(a[pre:len(a)-suf], b[pre:len(b)-suf], pre, pre)...)
	for i := 0; i < suf; i++ {
		ai, bi := len(a)-suf+i, len(b)-suf+i
		out = append(out, op{' ', a[ai], ai, bi})
	}
	return out
}

func middle(a, b []string, aOff, bOff int) []op {
	if len(a)*len(b) > maxCells {
		return replaceAll(a, b, aOff, bOff)
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []op
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, op{' ', a[i], aOff + i, bOff + j})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, op{'-', a[i], aOff + i, bOff + j})
			i++
		default:
			out = append(out, op{'+', b[j], aOff + i, bOff + j})
			j++
		}
	}
	return out
}

func replaceAll(a, b []string, aOff, bOff int) []op {
	var out []op
	for i, l := range a {
		out = append(out, op{'-', l, aOff + i, bOff})
	}
	for j, l := range b {
		out = append(out, op{'+', l, aOff + len(a), bOff + j})
	}
	return out
}
