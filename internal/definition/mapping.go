package definition

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

var metaType = reflect.TypeFor[Meta]()

// mapping decodes a YAML mapping into struct v, recording positions in its Meta. Merge keys
// (<<: *anchor) are applied first so that keys written alongside them override them.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, where string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping of fields, got %s", where, describe(n))
		return
	}
	meta := d.metaOf(v)
	if meta != nil && meta.Pos.File == "" {
		meta.Pos = d.pos(n)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag == "!!merge" {
			d.merge(n.Content[i+1], v, where)
		}
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag != "!!merge" {
			d.field(n.Content[i], n.Content[i+1], v, where, seen)
		}
	}
}

// field decodes one key: value pair of a mapping into struct v. An empty section (`target:`)
// counts as not written, so it is reported as missing rather than as an empty mapping.
func (d *decoder) field(k, val *yaml.Node, v reflect.Value, where string, seen map[string]*yaml.Node) {
	if !d.visit(k) {
		return
	}
	if k.Kind != yaml.ScalarNode {
		d.errorf(k, "%s: a key must be a plain name, got %s", where, describe(k))
		return
	}
	if first, dup := seen[k.Value]; dup {
		d.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, where, first.Line)
		return
	}
	seen[k.Value] = k
	idx := d.fieldIndex(v.Type())
	i, ok := idx[k.Value]
	if !ok {
		d.errorf(k, "unknown field %q in %s%s", k.Value, where, didYouMean(k.Value, keysOf(idx)))
		return
	}
	emptySection := isNull(val) && isEntity(derefType(v.Field(i).Type()))
	if meta := d.metaOf(v); meta != nil && !emptySection {
		if meta.Fields == nil {
			meta.Fields = map[string]Pos{}
		}
		meta.Fields[k.Value] = d.pos(val)
		d.itemPositions(meta, k.Value, val)
	}
	d.value(val, v.Field(i), k.Value, where)
}

// derefType is t, or what t points to.
func derefType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

// merge applies a merge key's value: one mapping or a list of them.
func (d *decoder) merge(n *yaml.Node, v reflect.Value, where string) {
	if !d.visit(n) || !d.enter(n) {
		return
	}
	d.inAlias++
	defer func() { d.inAlias--; d.leave() }()
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		d.merge(n.Alias, v, where)
		return
	}
	if n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			d.merge(item, v, where)
		}
		return
	}
	d.mapping(n, v, where)
}

// metaOf returns the Meta embedded in struct v, or nil; the field is looked up once per type.
func (d *decoder) metaOf(v reflect.Value) *Meta {
	i, ok := d.metas[v.Type()]
	if !ok {
		i = -1
		if f, found := v.Type().FieldByName("Meta"); found && f.Type == metaType && len(f.Index) == 1 {
			i = f.Index[0]
		}
		d.metas[v.Type()] = i
	}
	if i < 0 || !v.CanAddr() {
		return nil
	}
	return v.Field(i).Addr().Interface().(*Meta)
}

// sequence decodes a YAML list: of names (labels, supporting) or of entities (sections).
func (d *decoder) sequence(n *yaml.Node, v reflect.Value, key, where string) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "field %q: expected a list, got %s", key, describe(n))
		return
	}
	elemType := v.Type().Elem()
	out := reflect.MakeSlice(v.Type(), 0, len(n.Content))
	for i, item := range n.Content {
		elem := reflect.New(elemType).Elem()
		if elemType.Kind() == reflect.String {
			d.value(item, elem, key, where)
		} else {
			d.value(item, elem, "", entityName(elemType, item, i))
		}
		if elem.Kind() == reflect.Pointer && elem.IsNil() {
			if isNull(item) {
				d.errorf(item, "empty entry in %s", key)
			}
			continue
		}
		out = reflect.Append(out, elem)
	}
	v.Set(out)
}

// entityName names a list item in messages: `metric "signups"`, or `metric #3` before it has a name.
func entityName(t reflect.Type, item *yaml.Node, i int) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	kind := strings.ToLower(t.Name())
	if item.Kind == yaml.AliasNode && item.Alias != nil {
		item = item.Alias
	}
	for j := 0; item.Kind == yaml.MappingNode && j+1 < len(item.Content); j += 2 {
		if item.Content[j].Value == "name" && item.Content[j+1].Kind == yaml.ScalarNode {
			return fmt.Sprintf("%s %q", kind, item.Content[j+1].Value)
		}
	}
	return fmt.Sprintf("%s #%d", kind, i+1)
}

// stringMap decodes a mapping of names to text, such as rules.labels.
func (d *decoder) stringMap(n *yaml.Node, v reflect.Value, key string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "field %q: expected a mapping of names to values, got %s", key, describe(n))
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode {
			d.errorf(k, "field %q: expected name: value pairs of text", key)
			continue
		}
		if out.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
			d.errorf(k, "duplicate key %q in %s", k.Value, key)
			continue
		}
		out.SetMapIndex(reflect.ValueOf(k.Value), reflect.ValueOf(val.Value))
	}
	v.Set(out)
}

// itemPositions records where each item of a list of names was written, as "key[i]", so that
// an undefined name in a list points at the name itself.
func (d *decoder) itemPositions(meta *Meta, key string, val *yaml.Node) {
	if val.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range val.Content {
		if item.Kind == yaml.ScalarNode {
			meta.Fields[fmt.Sprintf("%s[%d]", key, i)] = d.pos(item)
		}
	}
}
