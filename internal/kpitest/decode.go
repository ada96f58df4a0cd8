package kpitest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"

	"github.com/kpic/kpic/internal/definition"
)

// maxNodes bounds the nodes one file may reach, aliases included, so that an alias bomb fails
// fast instead of eating memory.
const maxNodes = 200_000

// decoder walks one file's YAML nodes and collects positioned errors.
type decoder struct {
	file    string
	diags   *definition.Diagnostics
	visited int
	errors  int
}

func (d *decoder) pos(n *yaml.Node) definition.Pos {
	return definition.Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errorAt(d.pos(n), format, args...)
}

// maxErrors bounds the errors reported for one file; the rest would only bury the first.
const maxErrors = 100

func (d *decoder) errorAt(p definition.Pos, format string, args ...any) {
	d.errors++
	switch {
	case d.errors <= maxErrors:
		*d.diags = append(*d.diags, definition.Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
	case d.errors == maxErrors+1:
		*d.diags = append(*d.diags, definition.Diagnostic{Pos: p, Message: fmt.Sprintf("more than %d errors in this file; fix these first", maxErrors)})
	}
}

// resolve follows an alias to the node it names, counting the nodes reached so that aliases
// cannot multiply the work; it returns nil once the budget is spent.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode; depth++ {
		if depth > 64 || n.Alias == nil {
			d.errorf(n, "alias cannot be followed")
			return nil
		}
		n = n.Alias
	}
	d.visited += 1 + len(n.Content)
	if d.visited > maxNodes {
		if d.visited-1-len(n.Content) <= maxNodes {
			*d.diags = append(*d.diags, definition.Diagnostic{Pos: d.pos(n), Message: "too many nodes (aliases included); test files must be small"})
		}
		return nil
	}
	return n
}

// mapping returns the values of a mapping by key, reporting keys not in known (with the
// nearest known key), duplicates and non-mappings. ok is false when n is not a mapping.
func (d *decoder) mapping(n *yaml.Node, where string, known []string) (map[string]*yaml.Node, bool) {
	if n = d.resolve(n); n == nil {
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping with %s, got %s", where, joinKeys(known), describe(n))
		return nil, false
	}
	out := map[string]*yaml.Node{}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorf(k, "%s: a key must be a plain name, got %s", where, describe(k))
		case keys[k.Value] != nil:
			d.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, where, keys[k.Value].Line)
		case !contains(known, k.Value):
			d.errorf(k, "unknown field %q in %s%s", k.Value, where, definition.DidYouMean(k.Value, known))
		default:
			keys[k.Value], out[k.Value] = k, v
		}
	}
	return out, true
}

// list returns the items of a sequence, or reports that n is not one.
func (d *decoder) list(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	if n = d.resolve(n); n == nil {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: expected a list, got %s", what, describe(n))
		return nil, false
	}
	return n.Content, true
}

// text returns a scalar's text; nulls and collections are reported.
func (d *decoder) text(n *yaml.Node, what string) (string, bool) {
	if n = d.resolve(n); n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s: expected text, got %s", what, describe(n))
		return "", false
	}
	return n.Value, true
}

// name returns a non-empty scalar's text.
func (d *decoder) name(n *yaml.Node, what string) (string, bool) {
	s, ok := d.text(n, what)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(n, "%s is empty", what)
		return "", false
	}
	return s, ok
}

// number returns a finite number.
func (d *decoder) number(n *yaml.Node, what string) (float64, bool) {
	s, ok := d.text(n, what)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil && n.Tag == "!!float" { // YAML spellings: .inf, .nan, 1_000.5
		err = n.Decode(&f)
	}
	if err != nil || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		d.errorf(n, "%s: expected a number, got %q", what, s)
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.errorf(n, "%s: expected a finite number, got %s", what, s)
		return 0, false
	}
	return f, true
}

// duration returns a Prometheus duration (30s, 1h30m, 2d), at least min.
func (d *decoder) duration(n *yaml.Node, what string, min time.Duration) (time.Duration, bool) {
	s, ok := d.text(n, what)
	if !ok {
		return 0, false
	}
	v, err := model.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		d.errorf(n, "%s: %q is not a duration; write it like 30s, 90m, 1h30m or 2d", what, s)
		return 0, false
	}
	if time.Duration(v) < min {
		if min > 0 {
			d.errorf(n, "%s must be positive, got %s", what, s)
		} else {
			d.errorf(n, "%s must not be negative, got %s", what, s)
		}
		return 0, false
	}
	return time.Duration(v), true
}

// instant returns a timestamp written in RFC 3339 (2026-03-01T00:00:00Z) or as a day
// (2026-03-01, UTC midnight).
func (d *decoder) instant(n *yaml.Node, what string) (time.Time, bool) {
	s, ok := d.text(n, what)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	d.errorf(n, "%s: %q is not a time; write 2026-03-01T00:00:00Z or 2026-03-01", what, s)
	return time.Time{}, false
}

// labelMap returns a mapping of label names to values.
func (d *decoder) labelMap(n *yaml.Node, what string) (map[string]string, bool) {
	if n = d.resolve(n); n == nil {
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping of label names to values, got %s", what, describe(n))
		return nil, false
	}
	out := map[string]string{}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], d.resolve(n.Content[i+1])
		switch {
		case k.Kind != yaml.ScalarNode || v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null":
			d.errorf(k, "%s: expected name: value pairs of text", what)
			ok = false
		case !model.LegacyValidation.IsValidLabelName(k.Value) || strings.HasPrefix(k.Value, "__"):
			d.errorf(k, "%s: %q is not a label name (letters, digits and _, not starting with a digit or __)", what, k.Value)
			ok = false
		case hasKey(out, k.Value):
			d.errorf(k, "duplicate label %q in %s", k.Value, what)
			ok = false
		default:
			out[k.Value] = v.Value
		}
	}
	return out, ok
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// joinKeys lists keys for a message: "a, b or c".
func joinKeys(keys []string) string {
	if len(keys) <= 1 {
		return strings.Join(keys, "")
	}
	return strings.Join(keys[:len(keys)-1], ", ") + " or " + keys[len(keys)-1]
}

// describe names what a node is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	case n.Tag == "!!null":
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}
