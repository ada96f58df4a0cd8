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

// render encodes the board as 2-space indented JSON with sorted keys and a trailing newline,
// keeping only current keys. The board (templating, annotations, links) goes through the sdk
// and is normalized; the panels, which the sdk only wraps (CustomPanel), are turned into JSON
// objects directly: for dashboards of thousands of panels, marshalling them through the sdk
// and decoding them back cost seconds for the same bytes.
func render(b *sdk.Board) ([]byte, error) {
	shell := *b
	shell.Panels = nil
	raw, err := json.Marshal(&shell)
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
	panels := make([]any, len(b.Panels))
	for i, p := range b.Panels {
		if panels[i], err = panelObject(p); err != nil {
			return nil, fmt.Errorf("dashboard %s, panel %d: %w", b.UID, p.ID, err)
		}
	}
	if len(panels) > 0 {
		doc["panels"] = panels
	}
	w := jsonWriter{buf: make([]byte, 0, 4096+6144*len(panels))}
	if err := w.value(doc, 0); err != nil {
		return nil, fmt.Errorf("encode dashboard %s: %w", b.UID, err)
	}
	return append(w.buf, '\n'), nil
}

// panelObject is the current JSON model of a panel with only the keys of its type (panelKeys
// or rowKeys) and without empty or null values: the fields of the sdk's CommonPanel that the
// generated panels set, then the CustomPanel's keys, which win as in the sdk's marshalling.
// A panel using other sdk fields goes through the sdk.
func panelObject(p *sdk.Panel) (object, error) {
	if len(p.Links) > 0 || (p.OfType != sdk.CustomType && p.OfType != sdk.RowType) ||
		(p.OfType == sdk.RowType && len(p.Panels) > 0) {
		return sdkPanelObject(p)
	}
	o := object{"id": p.ID, "type": p.Type, "title": p.Title}
	if p.Datasource != nil {
		o["datasource"] = p.Datasource
	}
	if p.Description != nil {
		o["description"] = *p.Description
	}
	pos := object{}
	for _, f := range [...]struct {
		key string
		v   *int
	}{{"h", p.GridPos.H}, {"w", p.GridPos.W}, {"x", p.GridPos.X}, {"y", p.GridPos.Y}} {
		if f.v != nil {
			pos[f.key] = *f.v
		}
	}
	o["gridPos"] = pos
	allowed := panelKeys
	if p.OfType == sdk.RowType {
		allowed = rowKeys
		o["collapsed"] = p.Collapsed
		o["panels"] = []any{}
	} else if p.CustomPanel != nil {
		for k, v := range *p.CustomPanel {
			o[k] = v
		}
	}
	keep(o, allowed)
	return o, nil
}

// sdkPanelObject marshals a panel through the sdk and decodes it back to plain values.
func sdkPanelObject(p *sdk.Panel) (object, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var o object
	if err := dec.Decode(&o); err != nil {
		return nil, err
	}
	if o["type"] == "row" {
		keep(o, rowKeys)
	} else {
		keep(o, panelKeys)
	}
	return o, nil
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
