package definition

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"
)

var (
	durationType = reflect.TypeFor[model.Duration]()
	numberType   = reflect.TypeFor[Number]()
	dateType     = reflect.TypeFor[Date]()
)

// leaf decodes node n into v when v is a scalar type (text, number, duration, date, flag) and
// reports whether it did; composite types are left to the walker.
func (d *decoder) leaf(n *yaml.Node, v reflect.Value, key string) bool {
	switch v.Type() {
	case durationType:
		d.duration(n, v, key)
	case numberType:
		d.scalar(n, v, key, "a number", parseNumber)
	case dateType:
		d.scalar(n, v, key, "a date like 2026-01-31", parseDate)
	default:
		return d.basic(n, v, key)
	}
	return true
}

// basic decodes text, whole numbers and flags.
func (d *decoder) basic(n *yaml.Node, v reflect.Value, key string) bool {
	switch v.Kind() {
	case reflect.String:
		d.scalar(n, v, key, "text", parseText)
	case reflect.Bool:
		d.scalar(n, v, key, "true or false", parseBool)
	case reflect.Int:
		d.scalar(n, v, key, "a whole number", parseInt)
	default:
		return false
	}
	return true
}

// scalar parses a scalar node with parse and stores the result in v, or reports what was expected.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, key, want string, parse func(*yaml.Node) (any, bool)) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "field %q: expected %s, got %s", key, want, describe(n))
		return
	}
	x, ok := parse(n)
	if !ok {
		d.errorf(n, "field %q: expected %s, got %q%s", key, want, n.Value, quotedHint(n))
		return
	}
	v.Set(reflect.ValueOf(x).Convert(v.Type()))
}

// parseText accepts any scalar: `title: 2026` is text too.
func parseText(n *yaml.Node) (any, bool) { return n.Value, true }

func parseBool(n *yaml.Node) (any, bool) {
	b, err := strconv.ParseBool(n.Value)
	return b, err == nil && n.Tag == "!!bool"
}

func parseInt(n *yaml.Node) (any, bool) {
	i, err := strconv.Atoi(n.Value)
	return i, err == nil && n.Tag == "!!int"
}

func parseDuration(n *yaml.Node) (any, bool) {
	dur, err := model.ParseDuration(n.Value)
	return dur, err == nil
}

// parseNumber keeps the literal text so generated rules show the number exactly as written.
func parseNumber(n *yaml.Node) (any, bool) {
	if n.Tag != "!!int" && n.Tag != "!!float" {
		return nil, false
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, false
	}
	// 1_000 is a YAML number but not a PromQL one: the separators are dropped from the text.
	return Number{Value: f, Text: strings.ReplaceAll(n.Value, "_", "")}, true
}

func parseDate(n *yaml.Node) (any, bool) {
	t, err := time.Parse(time.DateOnly, n.Value)
	return Date{Time: t}, err == nil
}

// zeroDurationKeys are the duration fields where 0s means "at once" and is allowed.
var zeroDurationKeys = []string{"for", "absent_for", "group_wait"}

// duration decodes a duration; 0s is refused except where it means "at once".
func (d *decoder) duration(n *yaml.Node, v reflect.Value, key string) {
	d.scalar(n, v, key, "a duration like 5m", parseDuration)
	zeroOK := slices.Contains(zeroDurationKeys, key)
	if n.Kind == yaml.ScalarNode && v.Interface() == model.Duration(0) && !zeroOK {
		if _, parsed := parseDuration(n); parsed {
			d.errorf(n, "field %q: expected a duration longer than 0s, got %q", key, n.Value)
		}
	}
}

// quotedHint explains a quoted value where a number, flag or duration was expected.
func quotedHint(n *yaml.Node) string {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return " (quoted, so it is text; remove the quotes)"
	}
	return ""
}
