package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/grafana-tools/sdk"
)

// schemaVersion is the classic dashboard schema of Grafana 12 (the default of its published
// JSON schema); Grafana 11 and 12 load it without migrating.
const schemaVersion = 42

// Keys of the classic dashboard model kept from the sdk's output; the sdk also writes legacy
// keys (rows, style, span, isNew, ...) that current Grafana rejects or ignores.
var (
	boardKeys = keys("uid", "title", "description", "tags", "timezone", "editable", "graphTooltip",
		"time", "panels", "templating", "annotations", "links", "refresh")
	panelKeys = keys("type", "id", "title", "description", "datasource", "gridPos", "targets",
		"options", "fieldConfig", "transformations", "links", "maxDataPoints", "interval")
	rowKeys        = keys("type", "id", "title", "collapsed", "gridPos", "panels")
	variableKeys   = keys("type", "name", "label", "description", "hide", "query", "datasource", "refresh", "sort", "multi", "includeAll", "regex", "definition", "options")
	annotationKeys = keys("name", "datasource", "enable", "hide", "iconColor", "type", "builtIn", "expr", "step", "titleFormat", "textFormat", "tagKeys")
)

func keys(names ...string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// render marshals the board through the sdk, keeps only current keys and encodes it as
// 2-space indented JSON with sorted keys and a trailing newline.
func render(b *sdk.Board) ([]byte, error) {
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("marshal dashboard %s: %w", b.UID, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc object
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode dashboard %s: %w", b.UID, err)
	}
	normalize(doc)
	return encode(doc)
}

// normalize drops the legacy keys and sets the schema version.
func normalize(doc object) {
	keep(doc, boardKeys)
	doc["schemaVersion"] = schemaVersion
	for _, p := range list(doc["panels"]) {
		if p["type"] == "row" {
			keep(p, rowKeys)
			continue
		}
		keep(p, panelKeys)
	}
	templating, _ := doc["templating"].(object)
	for _, v := range list(templating["list"]) {
		keep(v, variableKeys)
	}
	for _, l := range list(doc["links"]) {
		if _, ok := l["tags"]; !ok {
			l["tags"] = []any{} // required by the schema, omitted by the sdk when empty
		}
	}
	annotations, _ := doc["annotations"].(object)
	for _, a := range list(annotations["list"]) {
		keep(a, annotationKeys)
	}
}

// keep deletes the keys of o not in allowed, and the empty or null values the sdk always writes.
func keep(o object, allowed map[string]bool) {
	for k, v := range o {
		if !allowed[k] || v == nil || v == "" {
			delete(o, k)
		}
	}
}

// list returns the objects of a JSON array.
func list(v any) []object {
	items, _ := v.([]any)
	out := make([]object, 0, len(items))
	for _, it := range items {
		if o, ok := it.(object); ok {
			out = append(out, o)
		}
	}
	return out
}

// encode writes deterministic JSON: sorted keys, no HTML escaping, trailing newline.
func encode(doc any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode dashboard: %w", err)
	}
	return buf.Bytes(), nil
}
