package exporter

import (
	"bytes"
	"compress/gzip"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
)

func TestCRC32Combine(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100, 4096, 100_003} {
		a, b := randomBytes(rand.IntN(300)), randomBytes(n)
		want := crc32.ChecksumIEEE(append(append([]byte(nil), a...), b...))
		if got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), len(b)); got != want {
			t.Errorf("len(b)=%d: got %08x, want %08x", n, got, want)
		}
	}
}

// TestChunksMakeOneGzipMember stitches separately compressed pieces into one member, which
// a reader that stops at the first member (as curl does) must decode completely.
func TestChunksMakeOneGzipMember(t *testing.T) {
	zw := newFlateWriter()
	var parts [][]byte
	var chunks []chunk
	for _, n := range []int{0, 10, 70_000, 3, 1 << 20} {
		p := randomText(n)
		parts = append(parts, p)
		chunks = append(chunks, deflateChunk(zw, p))
	}
	body := bytes.NewBuffer(member(chunks...))
	if body.Len() != gzipLength(chunks) {
		t.Errorf("length %d, want %d", body.Len(), gzipLength(chunks))
	}
	zr, err := gzip.NewReader(body)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("the member does not decode: %v", err)
	}
	if want := bytes.Join(parts, nil); !bytes.Equal(got, want) {
		t.Errorf("decoded %d bytes, want %d", len(got), len(want))
	}
	if _, err := zr.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("data after the member: %v", err)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.Uint32())
	}
	return b
}

func randomText(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = "abc_{}=\" 0123456789\n"[rand.IntN(20)]
	}
	return b
}

// TestGzipScrapeIsOneMember scrapes /metrics with gzip as curl does: the body is one gzip
// member holding the self-metrics and every published result, and curl --compressed (when
// installed) shows all of it.
func TestGzipScrapeIsOneMember(t *testing.T) {
	_, path := sqliteDB(t)
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("plan_users", "SELECT plan, n AS value FROM plans", time.Hour, "plan"),
		metric("total", "SELECT sum(n) AS value FROM plans", time.Hour))
	_, srv := started(t, m, &syncBuffer{})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Length") != strconv.Itoa(len(raw)) {
		t.Fatalf("encoding %q, length header %q for %d bytes", resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Length"), len(raw))
	}
	text := string(gunzip(t, raw))
	for _, want := range []string{"# TYPE kpic_source_up gauge", "business_plan_users{plan=\"pro\"} 3\n", "business_total 13\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the single gzip member lacks %q:\n%s", want, text)
		}
	}
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Log("curl is not installed; skipping the curl --compressed check")
		return
	}
	out, err := exec.Command(curl, "-sS", "--compressed", srv.URL+"/metrics").Output()
	if err != nil || !strings.Contains(string(out), "business_total 13\n") || !strings.Contains(string(out), "business_plan_users{plan=\"free\"} 10\n") {
		t.Errorf("curl --compressed shows (err %v):\n%s", err, out)
	}
}
