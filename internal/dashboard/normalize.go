package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

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

// renderer renders boards. The board (templating, annotations, links) goes through the sdk and
// is normalized; the panels, which the sdk only wraps (CustomPanel), are turned into JSON
// objects directly: for dashboards of thousands of panels, marshalling them through the sdk
// and decoding them back cost seconds for the same bytes. Boards differing only in uid, title,
// tags and alert expression (the objectives' and teams') share one decoded shell.
type renderer struct {
	mu        sync.Mutex
	shells    map[string]object
	constants constantTexts
	scratch   sync.Pool // *[]byte each board is rendered into before it is copied out
}

func newRenderer() *renderer {
	return &renderer{shells: map[string]object{}, constants: constantTexts{texts: map[constantAt][]byte{}},
		scratch: sync.Pool{New: func() any { return new([]byte) }}}
}

func (r *renderer) render(b *sdk.Board) ([]byte, error) {
	doc, err := r.shell(b)
	if err != nil {
		return nil, err
	}
	panels := make([]any, len(b.Panels))
	for i, p := range b.Panels {
		if panels[i], err = panelObject(p); err != nil {
			return nil, fmt.Errorf("dashboard %s, panel %d: %w", b.UID, p.ID, err)
		}
	}
	if len(panels) > 0 {
		doc["panels"] = panels
	}
	scratch := r.scratch.Get().(*[]byte)
	defer r.scratch.Put(scratch)
	w := jsonWriter{buf: (*scratch)[:0], constants: &r.constants}
	err = w.value(doc, 0)
	w.buf = append(w.buf, '\n')
	*scratch = w.buf
	if err != nil {
		return nil, fmt.Errorf("encode dashboard %s: %w", b.UID, err)
	}
	// A copy of exactly the text's size: allocating for the largest possible board instead
	// allocated and zeroed half again the 77 MB of JSON of 10,000 KPIs.
	return slices.Clone(w.buf), nil
}

// shell is the normalized board without panels: the shared shell of the board's shape, with
// its own uid, title, tags and alert expressions.
func (r *renderer) shell(b *sdk.Board) (object, error) {
	shape := *b
	shape.Panels, shape.UID, shape.Title, shape.Tags = nil, "", "", nil
	shape.Annotations.List = slices.Clone(b.Annotations.List)
	for i := range shape.Annotations.List {
		shape.Annotations.List[i].Expr = ""
	}
	raw, err := json.Marshal(&shape)
	if err != nil {
		return nil, fmt.Errorf("marshal dashboard %s: %w", b.UID, err)
	}
	tmpl, err := r.decoded(raw)
	if err != nil {
		return nil, fmt.Errorf("decode dashboard %s: %w", b.UID, err)
	}
	doc := maps.Clone(tmpl)
	set(doc, "uid", b.UID)
	set(doc, "title", b.Title)
	if b.Tags != nil {
		tags := make([]any, len(b.Tags))
		for i, t := range b.Tags {
			tags[i] = t
		}
		doc["tags"] = tags
	}
	if annotations, ok := doc["annotations"].(object); ok {
		list := list(annotations["list"])
		out := make([]any, len(list))
		for i, a := range list {
			a = maps.Clone(a)
			set(a, "expr", b.Annotations.List[i].Expr)
			out[i] = a
		}
		doc["annotations"] = object{"list": out}
	}
	return doc, nil
}

// set sets o[k] unless v is empty, as normalize keeps only non-empty values.
func set(o object, k, v string) {
	if v != "" {
		o[k] = v
	}
}

// decoded returns the normalized shell of raw, decoding it the first time; callers copy what
// they change.
func (r *renderer) decoded(raw []byte) (object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if doc, ok := r.shells[string(raw)]; ok {
		return doc, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc object
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	normalize(doc)
	r.shells[string(raw)] = doc
	return doc, nil
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
