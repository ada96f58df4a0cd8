package definition

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns a yaml.v3 error into a diagnostic. yaml.v3 names the line where the
// enclosing collection starts (and counts parser errors from 0), so for files of a reasonable
// size the line is found again as the first line whose prefix of the file fails to parse.
// The column is that of the line's first non-blank character.
func syntaxError(file string, data []byte, err error) Diagnostic {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	lines := bytes.Split(data, []byte("\n"))
	if len(data) <= maxBisectSize {
		line = firstFailingLine(lines, line)
	}
	line = min(max(line, 1), len(lines))
	col := len(lines[line-1]) - len(bytes.TrimLeft(lines[line-1], " ")) + 1
	return Diagnostic{Pos: Pos{File: file, Line: line, Col: col}, Message: "YAML syntax error: " + msg}
}

// maxBisectSize bounds the files whose syntax errors are located by re-parsing prefixes.
const maxBisectSize = 256 << 10

// firstFailingLine finds by bisection the smallest n such that the first n lines do not parse,
// falling back to fallback when the prefixes all parse (the error needs the rest of the file).
func firstFailingLine(lines [][]byte, fallback int) int {
	lo, hi := 1, len(lines)
	if parses(lines[:hi]) {
		return fallback
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if parses(lines[:mid]) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// parses reports whether the lines form a well-formed YAML stream.
func parses(lines [][]byte) bool {
	_, err := parseDocuments(bytes.Join(lines, []byte("\n")))
	return err == nil
}
