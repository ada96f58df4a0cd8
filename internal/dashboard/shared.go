package dashboard

import (
	"encoding/json"
	"slices"
	"sync"
)

// shared is a value placed on several dashboards (a KPI tile's options, queries, field
// config): the first dashboard to render it keeps the text, and the others copy that text
// instead of encoding the value again. The text is only valid at the depth it was rendered at;
// elsewhere the value is encoded as usual.
type shared struct {
	v     any
	once  sync.Once
	depth int
	text  []byte
	err   error
}

// share wraps the values of a JSON object for sharing.
func share(o object) {
	for k, v := range o {
		o[k] = &shared{v: v}
	}
}

// MarshalJSON encodes the value, for encoders other than jsonWriter.
func (s *shared) MarshalJSON() ([]byte, error) { return json.Marshal(s.v) }

// write appends the value at depth, rendering it once for the depth it is first asked at.
func (w *jsonWriter) shared(s *shared, depth int) error {
	s.once.Do(func() {
		start := len(w.buf)
		s.depth, s.err = depth, w.value(s.v, depth)
		s.text = slices.Clone(w.buf[start:])
		w.buf = w.buf[:start]
	})
	if s.err != nil {
		return s.err
	}
	if s.depth != depth {
		return w.value(s.v, depth)
	}
	w.buf = append(w.buf, s.text...)
	return nil
}
