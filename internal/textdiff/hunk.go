package textdiff

import (
	"fmt"
	"strings"
)

// hunk is a run of the edit script with its surrounding context.
type hunk []op

// hunks groups changed lines with up to context unchanged lines around them; changes closer
// than twice the context share one hunk.
func hunks(ops []op, context int) []hunk {
	var out []hunk
	start, end := -1, -1
	for i, o := range ops {
		if o.kind == ' ' {
			continue
		}
		lo, hi := max(0, i-context), min(len(ops), i+context+1)
		if start >= 0 && lo <= end {
			end = hi
			continue
		}
		if start >= 0 {
			out = append(out, hunk(ops[start:end]))
		}
		start, end = lo, hi
	}
	if start >= 0 {
		out = append(out, hunk(ops[start:end]))
	}
	return out
}

func writeHunk(sb *strings.Builder, h hunk) {
	var aLen, bLen int
	for _, o := range h {
		if o.kind != '+' {
			aLen++
		}
		if o.kind != '-' {
			bLen++
		}
	}
	fmt.Fprintf(sb, "@@ -%s +%s @@\n", rangeOf(h[0].aIdx, aLen), rangeOf(h[0].bIdx, bLen))
	for _, o := range h {
		sb.WriteByte(o.kind)
		sb.WriteString(o.line)
		if !strings.HasSuffix(o.line, "\n") {
			sb.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rangeOf formats a hunk range the way diff -u does: start,len with 1-based start, and the line
// before the hunk when it is empty.
func rangeOf(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
