package definition

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
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
