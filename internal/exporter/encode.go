// Package exporter runs each exported query on its own schedule and serves the results as
// Prometheus gauges from an immutable, pre-encoded snapshot, with self-metrics about the runs.
package exporter

import (
	"bytes"
	"compress/gzip"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// encoder turns one query's rows into the text exposition of its gauge as they arrive, so no
// intermediate series list is built. Duplicate label sets keep the first row; rows over the
// series limit are dropped; both are counted.
type encoder struct {
	gauge     string
	labels    []string
	limit     int
	buf       []byte
	set       labelSets
	duplicate int
	overLimit int
}

// sizeHint is the previous result's size, so a steady query does not regrow its buffers on
// every run.
type sizeHint struct{ bytes, series int }

// newEncoder starts a block.
func newEncoder(gauge, help string, labels []string, limit int, hint sizeHint) *encoder {
	e := &encoder{gauge: gauge, labels: labels, limit: limit, buf: make([]byte, 0, hint.bytes+hint.bytes/8)}
	e.set.init(hint.series)
	e.buf = append(e.buf, "# HELP "...)
	e.buf = append(e.buf, gauge...)
	e.buf = append(e.buf, ' ')
	e.buf = append(e.buf, escapeHelp(help)...)
	e.buf = append(e.buf, "\n# TYPE "...)
	e.buf = append(e.buf, gauge...)
	e.buf = append(e.buf, " gauge\n"...)
	return e
}

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeHelp(s string) string { return helpEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD")) }

// add appends one sample line, or drops it.
func (e *encoder) add(values [][]byte, v float64) {
	start := len(e.buf)
	e.buf = append(e.buf, e.gauge...)
	setStart := len(e.buf)
	e.buf = e.appendLabels(values)
	sl, dup := e.set.lookup(e.buf, setStart, len(e.buf))
	if dup {
		e.duplicate++
		e.buf = e.buf[:start]
		return
	}
	if e.set.n >= e.limit {
		e.overLimit++
		e.buf = e.buf[:start]
		return
	}
	e.set.fill(e.buf, sl, setStart, len(e.buf))
	e.buf = append(e.buf, ' ')
	e.buf = appendValue(e.buf, v)
	e.buf = append(e.buf, '\n')
}

// appendValue formats a sample; whole numbers, the usual SQL count, take the fast integer path.
func appendValue(b []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendLabels writes {name="value",...}; empty values are left out, as Prometheus would.
func (e *encoder) appendLabels(values [][]byte) []byte {
	b, open := e.buf, false
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
		b = append(b, e.labels[i]...)
		b = append(b, '=', '"')
		b = appendEscaped(b, val)
		b = append(b, '"')
	}
	if open {
		b = append(b, '}')
	}
	return b
}

// appendEscaped escapes a label value for the text format; invalid UTF-8 becomes U+FFFD.
func appendEscaped(b, val []byte) []byte {
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

// block is one query's published result: its exposition text and, made once on first demand,
// a gzip member of it. Gzip members concatenate into one valid stream, so a scrape never
// recompresses published results.
type block struct {
	text   []byte
	series int
	gzOnce sync.Once
	gz     []byte
}

// finish returns the encoded block; a result with no series publishes nothing, not even HELP.
func (e *encoder) finish() *block {
	n := e.set.n
	if n == 0 {
		return &block{}
	}
	return &block{text: e.buf, series: n}
}

// gzipped returns the block's gzip member, compressing it the first time.
func (b *block) gzipped() []byte {
	b.gzOnce.Do(func() { b.gz = gzipBytes(b.text) })
	return b.gz
}

func gzipBytes(p []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // the level is valid: no error
	_, _ = zw.Write(p)                                 // a bytes.Buffer does not fail
	_ = zw.Close()
	return buf.Bytes()
}
