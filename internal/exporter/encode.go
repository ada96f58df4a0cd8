// Package exporter runs each exported query on its own schedule and serves the results as
// Prometheus gauges from an immutable, pre-encoded snapshot, with self-metrics about the runs.
package exporter

import (
	"bytes"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// encoder turns one query's rows into the text exposition of its gauge as they arrive, so no
// intermediate series list is built. Duplicate label sets keep the first row; rows over the
// series limit are dropped; both are counted (see resolve).
type encoder struct {
	gauge        string
	help         string
	hint         sizeHint
	names        []string // `label="` for each label, written before its value
	constant     []byte   // the constant labels, name="value",... after the query's labels
	limit        int
	buf          []byte   // the text; lines from the start of the first spilled buffer on
	spilled      [][]byte // full buffers set aside by spill, before buf
	spilledBytes int      // their length
	seed         maphash.Seed
	lines        []line   // recorded since the start, minus those dropped by resolve
	keys         []uint64 // of the lines, to sort by hash; see key
	series       int      // lines kept by the last resolve
	duplicate    int
	overLimit    int
	maxBytes     int // of sample lines, see MaxResultBytes
	header       int // bytes of HELP and TYPE
	overSize     int // rows dropped for maxBytes
}

// MaxResultBytes bounds the text of one query's sample lines (64 MiB, about a million
// series with short labels): rows past it are dropped and counted, so the exporter's memory
// stays bounded whatever a query returns, together with source.MaxLabelBytes and the series
// limit.
const MaxResultBytes = 64 << 20

// sizeHint is the previous result's size, so a steady query does not regrow its buffers on
// every run.
type sizeHint struct{ bytes, series int }

// newEncoder prepares a block; its buffers are made by the first add, which feed runs on the
// encoding goroutine.
func newEncoder(gauge, help string, labels []string, limit int, hint sizeHint) *encoder {
	e := &encoder{gauge: gauge, help: help, hint: hint, names: make([]string, len(labels)),
		limit: min(max(limit, 0), maxLimit), seed: maphash.MakeSeed(), maxBytes: MaxResultBytes}
	for i, l := range labels {
		e.names[i] = l + `="`
	}
	return e
}

// start makes the buffers, sized after the previous result, and writes HELP and TYPE.
func (e *encoder) start() {
	e.buf = make([]byte, 0, max(e.hint.bytes+e.hint.bytes/8, 1024))
	lines := min(e.hint.series+e.hint.series/8, resolveAt(e.limit))
	e.lines, e.keys = make([]line, 0, lines), make([]uint64, 0, lines)
	e.buf = append(e.buf, "# HELP "...)
	e.buf = append(e.buf, e.gauge...)
	e.buf = append(e.buf, ' ')
	e.buf = append(e.buf, escapeHelp(e.help)...)
	e.buf = append(e.buf, "\n# TYPE "...)
	e.buf = append(e.buf, e.gauge...)
	e.buf = append(e.buf, " gauge\n"...)
	e.header = len(e.buf)
}

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeHelp(s string) string { return helpEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD")) }

// add appends one sample line and records it; duplicates and lines over the limit are dropped
// later, by resolve.
func (e *encoder) add(values [][]byte, v float64) {
	if e.buf == nil {
		e.start()
	}
	b := e.buf // a local slice: the compiler keeps it in registers
	if e.spilledBytes+len(b)-e.header >= e.maxBytes {
		e.overSize++
		return
	}
	if cap(b)-len(b) < 1024 {
		b = e.spill()
	}
	start := len(b)
	b = append(b, e.gauge...)
	b = e.appendLabels(b, values)
	end := len(b)
	b = append(b, ' ')
	b = appendValue(b, v)
	b = append(b, '\n')
	e.buf = b
	e.record(e.spilledBytes+start, maphash.Bytes(e.seed, b[start+len(e.gauge):end]))
}

// spill sets a full buffer aside and starts one twice as large. A result outgrowing its size
// hint (the first run of a query) is then copied once, by gather, rather than at every
// doubling, and touches far less fresh memory.
func (e *encoder) spill() []byte {
	e.spilled = append(e.spilled, e.buf)
	e.spilledBytes += len(e.buf)
	e.buf = make([]byte, 0, 2*cap(e.buf))
	return e.buf
}

// gather joins the spilled buffers and the current one, so that line offsets index e.buf.
func (e *encoder) gather() {
	if len(e.spilled) == 0 {
		return
	}
	text := make([]byte, 0, e.spilledBytes+len(e.buf))
	for _, b := range e.spilled {
		text = append(text, b...)
	}
	e.buf = append(text, e.buf...)
	e.spilled, e.spilledBytes = nil, 0
}

// record remembers the line starting at start and the hash of its labels.
func (e *encoder) record(start int, h uint64) {
	e.lines, e.keys = doubleWhenFull(e.lines, 1), doubleWhenFull(e.keys, 1)
	e.keys = append(e.keys, key(uint32(h), len(e.lines)))
	e.lines = append(e.lines, line{start: uint32(start), hash: uint32(h)})
	if len(e.lines) >= resolveAt(e.limit) {
		e.resolve()
	}
}

// doubleWhenFull doubles s's capacity when it has room for fewer than room more elements. A
// result larger than the last one grows its line records by doubling rather than by append's
// 25%, which would copy them several times over.
func doubleWhenFull[S ~[]E, E any](s S, room int) S {
	if cap(s)-len(s) < room {
		return slices.Grow(s, max(len(s), room))
	}
	return s
}

// appendValue formats a sample; whole numbers, the usual SQL count, take the fast integer path.
func appendValue(b []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendLabels writes {name="value",...}; empty values are left out, as Prometheus would.
func (e *encoder) appendLabels(b []byte, values [][]byte) []byte {
	open := false
	for i, val := range values {
		if len(val) == 0 {
			continue
		}
		if open {
			b = append(b, ',')
		} else {
			b = append(b, '{')
		}
		open = true
		b = append(b, e.names[i]...)
		b = appendEscaped(b, val)
		b = append(b, '"')
	}
	if len(e.constant) > 0 {
		if open {
			b = append(b, ',')
		} else {
			b = append(b, '{')
		}
		b = append(b, e.constant...)
		open = true
	}
	if open {
		b = append(b, '}')
	}
	return b
}

// constantLabels encodes labels (settings.rules.labels) once, sorted by name, for every line
// of a gauge: they keep the series of projects sharing one Prometheus apart.
func constantLabels(labels map[string]string) []byte {
	names := make([]string, 0, len(labels))
	for k := range labels {
		names = append(names, k)
	}
	slices.Sort(names)
	var b []byte
	for i, k := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, k+`="`...)
		b = appendEscaped(b, []byte(labels[k]))
		b = append(b, '"')
	}
	return b
}

// appendEscaped escapes a label value for the text format; invalid UTF-8 becomes U+FFFD.
func appendEscaped(b, val []byte) []byte {
	if isPlain(val) {
		return append(b, val...)
	}
	if !utf8.Valid(val) {
		val = bytes.ToValidUTF8(val, []byte("\uFFFD"))
	}
	for _, c := range val {
		switch c {
		case '\\':
			b = append(b, '\\', '\\')
		case '"':
			b = append(b, '\\', '"')
		case '\n':
			b = append(b, '\\', 'n')
		default:
			b = append(b, c)
		}
	}
	return b
}

// special marks the bytes that stop a label value from being copied as is: the escaped ones
// and every non-ASCII byte, which may be part of invalid UTF-8.
var special = func() (t [256]bool) {
	t['\\'], t['"'], t['\n'] = true, true, true
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// isPlain reports whether val is ASCII with nothing to escape, as most label values are.
func isPlain(val []byte) bool {
	for _, c := range val {
		if special[c] {
			return false
		}
	}
	return true
}

// block is one query's published result: its exposition text and, made once on first demand,
// its piece of a gzip response (see gzip.go), so a scrape never recompresses published
// results.
type block struct {
	text   []byte
	series int
	gzOnce sync.Once
	gz     chunk
}

// finish resolves the last lines and returns the encoded block; a result with no series
// publishes nothing, not even HELP.
func (e *encoder) finish() *block {
	e.resolve()
	e.lines, e.keys = nil, nil
	if e.series == 0 {
		return &block{}
	}
	return &block{text: e.buf, series: e.series}
}

// deflated returns the block's compressed piece, compressing it the first time.
func (b *block) deflated() chunk {
	b.gzOnce.Do(func() { b.gz = deflateChunk(newFlateWriter(), b.text) })
	return b.gz
}
