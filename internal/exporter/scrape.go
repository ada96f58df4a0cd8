package exporter

import (
	"bytes"
	"compress/flate"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/expfmt"
)

// contentType is the Prometheus text format, which every Prometheus version accepts whatever
// its Accept header prefers.
const contentType = "text/plain; version=0.0.4; charset=utf-8"

// ServeHTTP serves /metrics: kpic's own metrics, gathered now, then the published results as
// encoded when they arrived. Nothing here waits on a database or re-encodes a result.
func (e *Exporter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	self, err := e.selfExposition()
	if err != nil {
		http.Error(w, "gathering self-metrics: "+err.Error(), http.StatusInternalServerError)
		return
	}
	parts := e.liveParts(time.Now())
	w.Header().Set("Vary", "Accept-Encoding")
	w.Header().Set("Content-Type", contentType)
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		e.serveGzip(w, r, self, parts)
		return
	}
	size := len(self)
	for _, b := range parts {
		size += len(b.text)
	}
	w.Header().Set("Content-Length", strconv.Itoa(size))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(self)
	for _, b := range parts {
		_, _ = w.Write(b.text) // a failed write is the scraper's to report
	}
}

// serveGzip writes one gzip member: the self-metrics compressed now, then each result's
// piece compressed when it was first served.
func (e *Exporter) serveGzip(w http.ResponseWriter, r *http.Request, self []byte, parts []*block) {
	chunks := make([]chunk, 0, len(parts)+1)
	chunks = append(chunks, e.deflateSelf(self))
	for _, b := range parts {
		chunks = append(chunks, b.deflated())
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Length", strconv.Itoa(gzipLength(chunks)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(gzipHeader)
	for _, c := range chunks {
		_, _ = w.Write(c.data) // a failed write is the scraper's to report
	}
	_, _ = w.Write(gzipTrailer(chunks))
}

// liveParts lists the blocks that have series and are not stale.
func (e *Exporter) liveParts(now time.Time) []*block {
	entries := e.store.load().entries
	parts := make([]*block, 0, len(entries))
	for _, x := range entries {
		if x.block.series > 0 && now.Before(x.expires) {
			parts = append(parts, x.block)
		}
	}
	return parts
}

// selfExposition encodes the self-metrics in the text format.
func (e *Exporter) selfExposition() ([]byte, error) {
	mfs, err := e.metrics.reg.Gather()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (q=0 refuses it).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		f, err := strconv.ParseFloat(q, 64)
		return err == nil && f > 0
	}
	return false
}

// deflateSelf compresses the per-scrape self-metrics with a pooled writer: a fresh deflate
// writer allocates over a megabyte, more than the rest of a scrape.
func (e *Exporter) deflateSelf(p []byte) chunk {
	zw, _ := e.gzPool.Get().(*flate.Writer)
	if zw == nil {
		zw = newFlateWriter()
	}
	c := deflateChunk(zw, p)
	e.gzPool.Put(zw)
	return c
}
