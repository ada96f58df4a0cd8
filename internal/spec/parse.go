package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// sections are the top-level keys of a definitions file.
var sections = []string{"settings", "sources", "teams", "objectives", "metrics", "kpis"}

// settingsAt is one settings section, kept until all files are read (it may appear only once).
type settingsAt struct {
	settings Settings
	pos      Pos
}

// parseFile decodes every YAML document of one file into m, a model of that file alone, and
// returns its settings sections.
func parseFile(file string, data []byte, m *Model, diags *Diagnostics) []*settingsAt {
	if d, bad := checkText(file, data); bad {
		*diags = append(*diags, d)
		return nil
	}
	docs, err := parseDocuments(data)
	if err != nil {
		*diags = append(*diags, syntaxError(file, data, err))
	}
	var out []*settingsAt
	dec := newDecoder(file, diags)
	for _, doc := range docs {
		out = append(out, dec.document(doc, m)...)
	}
	if dec.aborted {
		*m = Model{} // what was decoded before the walk gave up would only add noise
		return nil
	}
	return out
}

// checkText refuses binary content: NUL bytes or invalid UTF-8, at the line they appear.
func checkText(file string, data []byte) (Diagnostic, bool) {
	at := bytes.IndexByte(data, 0)
	what := "a NUL byte; this looks like a binary file, not YAML"
	if at < 0 && !utf8.Valid(data) {
		at = firstInvalidUTF8(data)
		what = "invalid UTF-8; definitions must be UTF-8 text"
	}
	if at < 0 {
		return Diagnostic{}, false
	}
	line := bytes.Count(data[:at], []byte("\n")) + 1
	col := at - bytes.LastIndexByte(data[:at], '\n')
	return Diagnostic{Pos: Pos{File: file, Line: line, Col: col}, Message: "file contains " + what}, true
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// parseDocuments parses every document of a YAML stream into nodes. The parser is third-party
// code fed hostile input, so a panic in it is turned into an error.
func parseDocuments(data []byte) (docs []*yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: cannot parse: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return docs, err
		}
		docs = append(docs, &doc)
	}
}

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
	msg = trimPrefix(msg, "yaml: ")
	lines := bytes.Split(data, []byte("\n"))
	if len(data) <= maxBisectSize {
		line = firstFailingLine(lines, line)
	}
	line = min(max(line, 1), len(lines))
	col := len(lines[line-1]) - len(bytes.TrimLeft(lines[line-1], " ")) + 1
	return Diagnostic{Pos: Pos{File: file, Line: line, Col: col}, Message: "YAML syntax error: " + msg}
}

func trimPrefix(s, prefix string) string {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):]
	}
	return s
}

// document decodes one YAML document's sections into m.
func (d *decoder) document(doc *yaml.Node, m *Model) []*settingsAt {
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "expected a mapping of sections (%s), got %s", joinOr(sections), describe(root))
		return nil
	}
	var out []*settingsAt
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, "duplicate key %q (first at line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		if s := d.section(k, v, m); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// section decodes one top-level section, appending entities to m.
func (d *decoder) section(k, v *yaml.Node, m *Model) *settingsAt {
	var target any
	switch k.Value {
	case "settings":
		s := &settingsAt{pos: d.pos(k)}
		d.value(v, reflect.ValueOf(&s.settings).Elem(), "", "settings")
		return s
	case "sources":
		target = &m.Sources
	case "teams":
		target = &m.Teams
	case "objectives":
		target = &m.Objectives
	case "metrics":
		target = &m.Metrics
	case "kpis":
		target = &m.KPIs
	default:
		d.errorf(k, "unknown section %q%s", k.Value, didYouMean(k.Value, sections))
		return nil
	}
	d.appendSection(v, reflect.ValueOf(target).Elem(), k.Value)
	return nil
}

// appendSection decodes a section's list and appends it to the model's list.
func (d *decoder) appendSection(n *yaml.Node, list reflect.Value, key string) {
	fresh := reflect.New(list.Type()).Elem()
	d.value(n, fresh, key, key)
	list.Set(reflect.AppendSlice(list, fresh))
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
