package dashboard

import (
	"encoding/json"
	"slices"
	"sync"
)

// constant is a JSON value many panels hold unchanged (the datasource reference, a tile's
// options and thresholds): built once and only read, it is rendered once per build and depth
// (see constantTexts) instead of once per panel. The 10,000 tiles, metric panels and objective
// gauges of a 10,000-KPI build share a few dozen of them.
type constant struct{ v any }

// MarshalJSON encodes the value, for encoders other than jsonWriter.
func (c *constant) MarshalJSON() ([]byte, error) { return json.Marshal(c.v) }

// constantTexts holds the text of each constant at each depth it was rendered at, for one
// build's renderer: the text is only valid at its depth, and no text outlives the build.
type constantTexts struct {
	mu    sync.RWMutex
	texts map[constantAt][]byte
}

type constantAt struct {
	c     *constant
	depth int
}

// constant appends c at depth, rendering it the first time it is asked at that depth. Two
// boards rendering it at once may both render it; they write the same bytes.
func (w *jsonWriter) constant(c *constant, depth int) error {
	if w.constants == nil {
		return w.value(c.v, depth)
	}
	at := constantAt{c, depth}
	w.constants.mu.RLock()
	text, ok := w.constants.texts[at]
	w.constants.mu.RUnlock()
	if ok {
		w.buf = append(w.buf, text...)
		return nil
	}
	start := len(w.buf)
	if err := w.value(c.v, depth); err != nil {
		return err
	}
	w.constants.mu.Lock()
	w.constants.texts[at] = slices.Clone(w.buf[start:])
	w.constants.mu.Unlock()
	return nil
}
