package exporter

import (
	"bytes"
	"cmp"
	"slices"
)

// Duplicate label sets and the series limit are resolved in batches rather than row by row:
// add only records each line (where it is, and a hash of its label set) in row order, and
// resolve sorts those records by hash once, finds each line's first occurrence, keeps or drops
// every line in row order and compacts the buffer. A per-row lookup in a table of a million
// sets costs a cache miss per row; sorting is sequential and an order of magnitude cheaper.
//
// The outcome is the same as checking row by row: a line repeating a kept label set is a
// duplicate, a new label set once the limit is reached is over the limit, and so is a repeat
// of a set that was itself over the limit.

// line is one recorded sample line: it starts at start in the buffer and ends where the next
// one starts. uint32 offsets bound a block to 4 GiB, far beyond any series limit worth serving.
type line struct {
	start uint32
	hash  uint32 // of the labels, gauge name excluded (it is the same on every line)
}

// minBatch is the fewest lines recorded between two resolutions; resolving at most every
// limit+minBatch lines bounds the memory of a result far over its series limit, while every
// resolution costs time proportional to the lines it sees.
const minBatch = 1 << 16

// maxLimit bounds the series limit, so that line numbers fit in a key; a larger limit would
// mean no limit anyway.
const maxLimit = 1 << 30

// resolveAt is the number of recorded lines that triggers a resolution.
func resolveAt(limit int) int { return limit + max(limit, minBatch) }

// resolve drops the duplicate lines and those over the series limit, counting them, and
// leaves e.lines and e.buf holding the kept lines only. Sorting scrambles e.keys and compact
// rebuilds them; a resolution that keeps every line can only be the last one, at finish, as
// add resolves only once there are more lines than the limit.
func (e *encoder) resolve() {
	e.gather()
	repeats := e.repeats()
	if len(repeats) == 0 && len(e.lines) <= e.limit {
		e.series = len(e.lines) // the usual case: nothing to drop
		return
	}
	e.compact(e.choose(repeats))
}

// repeat is a line whose label set an earlier line, first, already had.
type repeat struct{ line, first uint32 }

// repeats lists, in row order, the lines that repeat an earlier line's label set. Lines are
// grouped by sorting their hashes; within a group, label sets are compared byte for byte, so a
// hash collision never merges two sets.
func (e *encoder) repeats() []repeat {
	keys := sortByHash(e.keys)
	var repeats []repeat
	var sets []uint32 // distinct label sets of the current group, by first line
	for lo, hi := 0, 1; lo < len(keys); lo, hi = hi, hi+1 {
		for hi < len(keys) && keys[hi]>>32 == keys[lo]>>32 {
			hi++
		}
		if hi-lo == 1 {
			continue // a hash seen once: the usual case
		}
		sets = sets[:0]
		for _, k := range keys[lo:hi] {
			if i, first := uint32(k), e.match(sets, uint32(k)); first != i {
				repeats = append(repeats, repeat{i, first})
			} else {
				sets = append(sets, i)
			}
		}
	}
	slices.SortFunc(repeats, func(a, b repeat) int { return cmp.Compare(a.line, b.line) })
	return repeats
}

// match returns the line among sets with the same label set as line i, or i.
func (e *encoder) match(sets []uint32, i uint32) uint32 {
	for _, s := range sets {
		if string(e.labelSet(s)) == string(e.labelSet(i)) {
			return s
		}
	}
	return i
}

// labelSet is line i's labels, as hashed: what follows the gauge name up to the last space,
// before the sample (a label value may hold spaces, a sample never does).
func (e *encoder) labelSet(i uint32) []byte {
	text := e.buf[int(e.lines[i].start)+len(e.gauge) : e.lineEnd(int(i))]
	return text[:bytes.LastIndexByte(text, ' ')]
}

// lineEnd is where line i ends, its newline included.
func (e *encoder) lineEnd(i int) uint32 {
	if i+1 < len(e.lines) {
		return e.lines[i+1].start
	}
	return uint32(len(e.buf))
}

// choose walks the lines in row order and reports which are kept: first occurrences while the
// series limit allows. It sets e.series and adds the dropped lines to the counters.
func (e *encoder) choose(repeats []repeat) []bool {
	keep := make([]bool, len(e.lines))
	e.series = 0
	for i := range keep {
		switch {
		case len(repeats) > 0 && int(repeats[0].line) == i:
			if keep[repeats[0].first] {
				e.duplicate++
			} else {
				e.overLimit++ // its label set was over the limit already
			}
			repeats = repeats[1:]
		case e.series < e.limit:
			keep[i] = true
			e.series++
		default:
			e.overLimit++
		}
	}
	return keep
}

// compact moves the kept lines to the front of the buffer, in order, and forgets the others.
func (e *encoder) compact(keep []bool) {
	w, n := e.lines[0].start, 0 // the first line starts right after the header
	for i, l := range e.lines {
		if !keep[i] {
			continue
		}
		end := e.lineEnd(i) // read before line i+1 can be overwritten, as n <= i
		copy(e.buf[w:], e.buf[l.start:end])
		e.lines[n] = line{start: w, hash: l.hash}
		e.keys[n] = key(l.hash, n)
		w += end - l.start
		n++
	}
	e.buf = e.buf[:w]
	e.lines, e.keys = e.lines[:n], e.keys[:n]
}

// key is what sortByHash sorts: a line's hash, then its index, so equal hashes keep row order.
func key(hash uint32, i int) uint64 { return uint64(hash)<<32 | uint64(i) }

// sortByHash sorts keys by their high 32 bits, stably, with four byte-wide counting passes
// (wider digits measured slower: more scattered writes), and returns them.
func sortByHash(keys []uint64) []uint64 {
	src, dst := keys, make([]uint64, len(keys))
	for shift := 32; shift < 64; shift += 8 {
		var count [256]int
		for _, k := range src {
			count[byte(k>>shift)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, k := range src {
			d := byte(k >> shift)
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	return src // keys, after an even number of passes
}
