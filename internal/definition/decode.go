package definition

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxAliasNodes bounds how many nodes may be visited through aliases in one file, so an alias
// bomb (a few lines expanding to billions of nodes) fails fast instead of eating memory.
const maxAliasNodes = 100_000

// maxFileErrors bounds the decoding errors reported for one file.
const maxFileErrors = 200

// maxDepth bounds the nesting the walker follows; the model is a few levels deep, so only
// aliases that refer to themselves (through merge keys) get near it.
const maxDepth = 64

// decoder walks yaml.v3 nodes into the model's structs by their `yaml` tags, strictly: every
// unknown or duplicate key and every value of the wrong type becomes a diagnostic with its position.
type decoder struct {
	file    string
	diags   *Diagnostics
	aliased int  // nodes visited through aliases so far
	inAlias int  // > 0 while walking the target of an alias
	aborted bool // set once the alias budget is spent; decoding stops
	depth   int  // nesting of the walk, bounded to stop self-referring aliases
	errors  int  // errors reported in this file
	fields  map[reflect.Type]map[string]int
	metas   map[reflect.Type]int // index of the embedded Meta, -1 for none
}

func newDecoder(file string, diags *Diagnostics) *decoder {
	return &decoder{file: file, diags: diags, fields: map[reflect.Type]map[string]int{}, metas: map[reflect.Type]int{}}
}

// pos is where node n was written.
func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

// errorf records an error at node n. After maxFileErrors the file is given up: aliases can
// repeat one mistake a million times.
func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	if d.aborted {
		return
	}
	if d.errors++; d.errors > maxFileErrors {
		d.abort(n, "more than %d errors in this file; fix these first", maxFileErrors)
		return
	}
	*d.diags = append(*d.diags, Diagnostic{Pos: d.pos(n), Message: fmt.Sprintf(format, args...)})
}

// abort records a last error at node n and stops decoding the file.
func (d *decoder) abort(n *yaml.Node, format string, args ...any) {
	d.aborted = true
	*d.diags = append(*d.diags, Diagnostic{Pos: d.pos(n), Message: fmt.Sprintf(format, args...)})
}

// visit counts node n against the alias budget and reports whether decoding may go on.
func (d *decoder) visit(n *yaml.Node) bool {
	if d.aborted {
		return false
	}
	if d.inAlias > 0 {
		d.aliased++
		if d.aliased > maxAliasNodes {
			d.abort(n, "too many nodes reached through aliases (more than %d); is this an alias bomb?", maxAliasNodes)
			return false
		}
	}
	return true
}

// enter goes one level deeper into node n, or stops decoding when the walk is too deep.
func (d *decoder) enter(n *yaml.Node) bool {
	if d.depth++; d.depth > maxDepth {
		d.depth--
		d.abort(n, "nested more than %d levels deep; do aliases refer to themselves?", maxDepth)
		return false
	}
	return true
}

func (d *decoder) leave() { d.depth-- }

// value decodes node n into v, following an alias if n is one.
func (d *decoder) value(n *yaml.Node, v reflect.Value, key, where string) {
	if !d.visit(n) {
		return
	}
	if !d.enter(n) {
		return
	}
	defer d.leave()
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		d.inAlias++
		d.value(n.Alias, v, key, where)
		d.inAlias--
		return
	}
	if isNull(n) {
		return
	}
	if d.leaf(n, v, key) {
		return
	}
	d.composite(n, v, key, where)
}

// composite decodes pointers, structs, lists and maps.
func (d *decoder) composite(n *yaml.Node, v reflect.Value, key, where string) {
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		d.value(n, elem.Elem(), key, where)
		if n.Kind == yaml.MappingNode || !isEntity(elem.Elem().Type()) {
			v.Set(elem) // a struct is kept only when it was written as a mapping
		}
	case reflect.Struct:
		if key != "" {
			where = key + " of " + where // built here, not per field: most fields are scalars
		}
		d.mapping(n, v, where)
	case reflect.Slice:
		d.sequence(n, v, key, where)
	case reflect.Map:
		d.stringMap(n, v, key)
	}
}

// isEntity reports a struct written as a mapping of fields, as opposed to a scalar type.
func isEntity(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != numberType && t != dateType
}

// isNull reports an empty value (`key:` or `key: null`), which leaves the field unset.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe says what a node is, for "got ..." in messages, without Go type names.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", n.Value)
}

// fieldIndex maps the yaml keys of struct type t to field indexes, once per type and load.
func (d *decoder) fieldIndex(t reflect.Type) map[string]int {
	if idx, ok := d.fields[t]; ok {
		return idx
	}
	idx := map[string]int{}
	for i := range t.NumField() {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			idx[tag] = i
		}
	}
	d.fields[t] = idx
	return idx
}

// keysOf lists the known keys of a struct type, for suggestions.
func keysOf(idx map[string]int) []string {
	keys := make([]string, 0, len(idx))
	for k := range idx {
		keys = append(keys, k)
	}
	return keys
}
