package exporter

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"testing"
)

func TestEncoder(t *testing.T) {
	type row struct {
		labels []string
		value  float64
	}
	tests := []struct {
		name           string
		labels         []string
		limit          int
		rows           []row
		constant       map[string]string
		want           string
		duplicate, cut int
	}{
		{name: "a query without labels publishes one sample",
			limit: 10, rows: []row{{nil, 42}},
			want: "business_x 42\n"},
		{name: "label values are escaped and empty ones left out",
			labels: []string{"plan", "region"}, limit: 10,
			rows: []row{{[]string{`a"b\c` + "\n", ""}, 1.5}},
			want: `business_x{plan="a\"b\\c\n"} 1.5` + "\n"},
		{name: "a duplicate label set keeps the first row and is counted",
			labels: []string{"plan"}, limit: 10,
			rows: []row{{[]string{"pro"}, 1}, {[]string{"free"}, 2}, {[]string{"pro"}, 3}},
			want: "business_x{plan=\"pro\"} 1\nbusiness_x{plan=\"free\"} 2\n", duplicate: 1},
		{name: "rows over the series limit are cut and counted",
			labels: []string{"plan"}, limit: 1,
			rows: []row{{[]string{"a"}, 1}, {[]string{"b"}, 2}, {[]string{"c"}, 3}},
			want: "business_x{plan=\"a\"} 1\n", cut: 2},
		{name: "the rules labels follow the query's labels on every line, sorted and escaped",
			labels: []string{"plan"}, limit: 10, constant: map[string]string{"tenant": "acme", "bu": `x"y`},
			rows: []row{{[]string{"pro"}, 1}, {[]string{"pro"}, 2}, {[]string{""}, 3}},
			want: `business_x{plan="pro",bu="x\"y",tenant="acme"} 1` + "\n" + `business_x{bu="x\"y",tenant="acme"} 3` + "\n", duplicate: 1},
		{name: "invalid UTF-8 in a label value is replaced",
			labels: []string{"plan"}, limit: 10, rows: []row{{[]string{"a\xffb"}, 1}},
			want: "business_x{plan=\"a\uFFFDb\"} 1\n"},
	}
	const header = "# HELP business_x Things, counted.\\nTwice.\n# TYPE business_x gauge\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEncoder("business_x", "Things, counted.\nTwice.", tt.labels, tt.limit, sizeHint{})
			e.constant = constantLabels(tt.constant)
			for _, r := range tt.rows {
				vals := make([][]byte, len(r.labels))
				for i, l := range r.labels {
					vals[i] = []byte(l)
				}
				e.add(vals, r.value)
			}
			b := e.finish()
			if got := string(b.text); got != header+tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, header+tt.want)
			}
			if e.duplicate != tt.duplicate || e.overLimit != tt.cut {
				t.Errorf("duplicate %d, cut %d; want %d, %d", e.duplicate, e.overLimit, tt.duplicate, tt.cut)
			}
			if unzipped := gunzip(t, member(b.deflated())); !bytes.Equal(unzipped, b.text) {
				t.Errorf("gzip member does not decode to the text")
			}
		})
	}
}

func TestAnEmptyResultPublishesNothing(t *testing.T) {
	if b := newEncoder("business_x", "help", nil, 10, sizeHint{}).finish(); len(b.text) != 0 || b.series != 0 {
		t.Errorf("got %q", b.text)
	}
}

// member is the gzip member of chunks, as a scrape writes it.
func member(chunks ...chunk) []byte {
	var b bytes.Buffer
	b.Write(gzipHeader)
	for _, c := range chunks {
		b.Write(c.data)
	}
	b.Write(gzipTrailer(chunks))
	return b.Bytes()
}

// gunzip decodes p, which must be a single gzip member.
func gunzip(t *testing.T, p []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(p))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip": true, "deflate, gzip;q=0.5": true, "GZIP": true,
		"": false, "identity": false, "gzip;q=0": false, "br, gzip ; q=0.0": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestRowsPastTheResultSizeAreDroppedAndCounted(t *testing.T) {
	e := newEncoder("business_x", "X.", []string{"id"}, 1000, sizeHint{})
	e.maxBytes = 100
	for i := range 50 {
		e.add([][]byte{fmt.Appendf(nil, "%04d", i)}, 1)
	}
	b := e.finish()
	line := len("business_x{id=\"0000\"} 1\n")
	if want := (100 + line - 1) / line; b.series != want || e.overSize != 50-want {
		t.Errorf("kept %d, dropped %d; want %d, %d", b.series, e.overSize, want, 50-want)
	}
}
