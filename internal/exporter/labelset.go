package exporter

import (
	"bytes"
	"hash/maphash"
)

// labelSets remembers the label sets already published in one block, to keep the first of
// duplicate rows. It is an open-addressing table of (hash, place in the block's buffer): a
// million-row result costs no per-row allocation and one probe sequence per row, where a Go
// map would need a string per row and two lookups (find, then insert).
type labelSets struct {
	seed  maphash.Seed
	slots []slot // length is a power of two, at most half full
	n     int
}

// slot is one set: its hash and where its bytes are in the buffer; end == 0 marks it empty
// (a set never ends at 0: the gauge name comes first). uint32 offsets bound a block to 4 GiB,
// far beyond any series limit worth serving.
type slot struct {
	hash       uint64
	start, end uint32
}

func (s *labelSets) init(hint int) {
	s.seed = maphash.MakeSeed()
	size := 16
	for size < 2*hint {
		size *= 2
	}
	s.slots = make([]slot, size)
}

// find returns the slot holding buf[start:end], or the empty slot where it belongs.
func (s *labelSets) find(buf []byte, h uint64, start, end int) *slot {
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.end == 0 || (sl.hash == h && bytes.Equal(buf[sl.start:sl.end], buf[start:end])) {
			return sl
		}
	}
}

// lookup finds buf[start:end]: present reports a duplicate; otherwise sl is the empty slot
// where fill may put it.
func (s *labelSets) lookup(buf []byte, start, end int) (sl *slot, present bool) {
	h := maphash.Bytes(s.seed, buf[start:end])
	sl = s.find(buf, h, start, end)
	if sl.end != 0 {
		return sl, true
	}
	sl.hash = h // remembered for fill; an empty slot stays empty while end is 0
	return sl, false
}

// fill records buf[start:end] in the empty slot lookup returned, growing the table when half full.
func (s *labelSets) fill(buf []byte, sl *slot, start, end int) {
	sl.start, sl.end = uint32(start), uint32(end)
	s.n++
	if 2*s.n > len(s.slots) {
		s.grow(buf)
	}
}

// grow doubles the table and re-places every set.
func (s *labelSets) grow(buf []byte) {
	old := s.slots
	s.slots = make([]slot, 2*len(old))
	for _, sl := range old {
		if sl.end != 0 {
			*s.find(buf, sl.hash, int(sl.start), int(sl.end)) = sl
		}
	}
}
