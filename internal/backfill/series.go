package backfill

import (
	"encoding/binary"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
)

// series is one gauge series met in the history rows, and the value it holds now.
type series struct {
	export int // index into the exports
	lset   labels.Labels
	ref    storage.SeriesRef
	has    bool // a row has been seen at or before the current time
	since  int64
	v      float64
}

// registry gives each distinct series of the history rows a small number, so that rows on
// disk carry 4 bytes instead of their labels.
type registry struct {
	ids    map[string]uint32
	series []*series
	key    []byte
}

func newRegistry() *registry { return &registry{ids: map[string]uint32{}} }

// lookup returns the number of the series of export e with these label values, and whether
// it was already known.
func (r *registry) lookup(e int, values [][]byte) (uint32, bool) {
	r.key = append(r.key[:0], byte(e), byte(e>>8), byte(e>>16))
	for _, v := range values {
		r.key = binary.AppendUvarint(r.key, uint64(len(v)))
		r.key = append(r.key, v...)
	}
	id, ok := r.ids[string(r.key)]
	return id, ok
}

// add registers the series whose key lookup has just built.
func (r *registry) add(e int, lset labels.Labels) uint32 {
	id := uint32(len(r.series))
	r.ids[string(r.key)] = id
	r.series = append(r.series, &series{export: e, lset: lset})
	return id
}
