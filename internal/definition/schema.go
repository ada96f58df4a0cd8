package definition

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// SchemaDialect is the JSON Schema version of Schema. The schema keeps to keywords that draft-07
// validators (the YAML language server behind VS Code's YAML extension) read the same way.
const SchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// SchemaURL is where the schema committed as schema/kpic.schema.json is published.
const SchemaURL = "https://raw.githubusercontent.com/kpic/kpic/main/schema/kpic.schema.json"

// durationPattern is what model.ParseDuration accepts: units from years to milliseconds, in
// order, each at most once, or a bare 0.
const durationPattern = `^(0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$`

// zeroDurationPattern matches the durations that are zero, refused where 0s means nothing.
const zeroDurationPattern = `^(0|(0+(y|w|d|h|m|s|ms))+)$`

// datePattern is a calendar day as time.DateOnly parses it.
const datePattern = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`

// Messages the YAML language server shows instead of its generic ones; other validators ignore
// these keywords.
const (
	patternMessage = "patternErrorMessage"
	errorMessage   = "errorMessage"
)

// Schema returns the JSON Schema of one definitions file (one YAML document). It is derived from
// the model's types by their yaml tags, as the loader decodes them, with the descriptions,
// enums, patterns and bounds of fieldSpecs and typeSpecs.
func Schema() map[string]any {
	s := objectSchema(reflect.TypeFor[Model]())
	s["$schema"] = SchemaDialect
	s["$id"] = SchemaURL
	s["title"] = "kpic definitions"
	return s
}

// SchemaJSON is Schema as indented JSON with a final newline; map keys are sorted, so the
// output is the same on every run.
func SchemaJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Schema()); err != nil {
		return nil, fmt.Errorf("encoding the schema: %w", err)
	}
	return buf.Bytes(), nil
}

// schemaField is one yaml key of a struct type, as the decoder sees it.
type schemaField struct {
	key  string
	typ  reflect.Type
	spec fieldSpec
}

// schemaFields lists the yaml keys of struct type t with their specs, in declaration order.
func schemaFields(t reflect.Type) []schemaField {
	var out []schemaField
	for i := range t.NumField() {
		key := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if key == "" || key == "-" {
			continue
		}
		out = append(out, schemaField{key: key, typ: t.Field(i).Type, spec: fieldSpecs[specKey(t, key)]})
	}
	return out
}

// specKey names a field in fieldSpecs: "Type.key".
func specKey(t reflect.Type, key string) string { return t.Name() + "." + key }

// objectSchema describes a struct written as a mapping: its known keys only.
func objectSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range schemaFields(t) {
		props[f.key] = fieldSchema(f)
		if f.spec.required {
			required = append(required, f.key)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	ts := typeSpecs[t.Name()]
	if ts.doc != "" {
		s["description"] = ts.doc
	}
	if ts.rules != nil {
		if all := ts.rules(); len(all) > 0 {
			s["allOf"] = all
		}
	}
	return s
}

// fieldSchema describes one field: its value's schema with the field's description and default.
// Optional fields that are not one of a choice may be left empty (`key:`), which the loader
// reads as unset.
func fieldSchema(f schemaField) map[string]any {
	s := valueSchema(f.typ, f.key, f.spec)
	if f.spec.doc != "" {
		s["description"] = f.spec.doc
	}
	if f.spec.def != nil {
		s["default"] = f.spec.def
	}
	if !f.spec.required && !f.spec.choice {
		allowNull(s)
	}
	return s
}

// valueSchema describes a value of Go type t written under key.
func valueSchema(t reflect.Type, key string, spec fieldSpec) map[string]any {
	switch t {
	case durationType:
		return durationSchema(slices.Contains(zeroDurationKeys, key))
	case numberType:
		return map[string]any{"type": "number"}
	case dateType:
		return map[string]any{"type": "string", "pattern": datePattern, "format": "date", patternMessage: "a date like 2026-01-31"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return valueSchema(t.Elem(), key, spec)
	case reflect.Struct:
		return objectSchema(t)
	case reflect.Slice:
		return listSchema(t, key, spec)
	case reflect.Map:
		return mapSchema(spec)
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int:
		return intSchema(spec)
	case reflect.String:
		return textSchema(spec)
	}
	panic(fmt.Sprintf("definition: no JSON Schema for field %q of type %s", key, t))
}

// listSchema describes a list of names (constrained like the field) or of entities.
func listSchema(t reflect.Type, key string, spec fieldSpec) map[string]any {
	s := map[string]any{"type": "array"}
	if t.Elem().Kind() == reflect.String {
		item := textSchema(spec)
		s["items"] = item
		if spec.unique {
			s["uniqueItems"] = true
		}
		return s
	}
	s["items"] = valueSchema(t.Elem(), key, fieldSpec{})
	return s
}

// mapSchema describes a mapping of names to text, such as rules.labels.
func mapSchema(spec fieldSpec) map[string]any {
	s := map[string]any{"type": "object", "additionalProperties": allowNull(textSchema(fieldSpec{}))}
	if spec.value != nil {
		s["propertyNames"] = spec.value()
	}
	return s
}

// textSchema describes text: constrained names, or free text, which YAML may also write as a
// number or a flag (`title: 2026` is text).
func textSchema(spec fieldSpec) map[string]any {
	if spec.value != nil {
		return spec.value()
	}
	s := map[string]any{"type": []any{"string", "number", "boolean"}}
	if spec.notBlank {
		s["pattern"] = `\S`
		s[patternMessage] = "must not be empty"
	}
	return s
}

func intSchema(spec fieldSpec) map[string]any {
	s := map[string]any{"type": "integer"}
	if spec.min != nil {
		s["minimum"] = *spec.min
	}
	if spec.max != nil {
		s["maximum"] = *spec.max
	}
	return s
}

// durationSchema describes a Prometheus duration; zero says whether 0s is allowed, and with it a
// bare 0 written as a YAML number.
func durationSchema(zero bool) map[string]any {
	if zero {
		return map[string]any{"type": []any{"string", "integer"}, "pattern": durationPattern, "minLength": 1, "minimum": 0, "maximum": 0,
			patternMessage: "a duration like 30s, 5m, 1h30m or 7d; 0s is allowed"}
	}
	return map[string]any{"type": "string", "pattern": durationPattern, "minLength": 1, patternMessage: "a duration like 30s, 5m, 1h30m or 7d",
		"not": map[string]any{"type": "string", "pattern": zeroDurationPattern, errorMessage: "a duration longer than 0s"}}
}

// allowNull adds null to the types schema s accepts, and returns s.
func allowNull(s map[string]any) map[string]any {
	switch t := s["type"].(type) {
	case string:
		s["type"] = []any{t, "null"}
	case []any:
		s["type"] = append(slices.Clone(t), "null")
	}
	return s
}
