package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// backfillFolder writes a one-metric catalog over a SQLite history table, with the DSN in the
// environment as users write it.
func backfillFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "shop.db")
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE signup_days (day TEXT, signups INTEGER);
		INSERT INTO signup_days VALUES ('2026-03-01', 3), ('2026-03-02', 5), ('2026-03-03', 4)`); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KPIC_TEST_SHOP", dbPath)
	yaml := `sources:
  - {name: shop, driver: sqlite, dsn: "${KPIC_TEST_SHOP}"}
teams:
  - {name: growth, slack_channel: "#growth"}
metrics:
  - name: signups
    help: Sign-ups of the day.
    owner: growth
    source: shop
    query: SELECT 1 AS value
    history:
      query: SELECT day AS time, signups AS value FROM signup_days
`
	if err := os.MkdirAll(filepath.Join(dir, "kpis"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kpis", "kpis.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBackfillCommand(t *testing.T) {
	dir := backfillFolder(t)
	out := filepath.Join(dir, "blocks")
	code, stdout, stderr := kpic(t, "backfill", "--from=2026-03-01", "--to=2026-03-03", "--out="+out, filepath.Join(dir, "kpis"))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := "kpic: backfilled 2026-03-01T00:00:00Z to 2026-03-03T00:00:00Z: 1 series, 2880 gauge and 0 rule samples in 2 blocks under " + out + "\n"
	if stdout != want || stderr != "" {
		t.Errorf("stdout = %q, stderr = %q; want %q and nothing on stderr (not a terminal: no progress)", stdout, stderr, want)
	}
	metas, _ := filepath.Glob(filepath.Join(out, "*", "meta.json"))
	if len(metas) != 2 {
		t.Errorf("blocks with meta.json: %v, want 2", metas)
	}
}

// TestBackfillStopsAtPrometheusOldestSample leaves --to out: it defaults to the oldest sample of
// the Prometheus at --prometheus.url, so the blocks end where its data begins.
func TestBackfillStopsAtPrometheusOldestSample(t *testing.T) {
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, "# TYPE prometheus_tsdb_lowest_timestamp gauge\nprometheus_tsdb_lowest_timestamp 1.7724096e+12")
	}))
	defer prom.Close()
	dir := backfillFolder(t)
	code, stdout, stderr := kpic(t, "backfill", "--from=2026-03-01", "--out="+filepath.Join(dir, "blocks"), "--prometheus.url="+prom.URL, filepath.Join(dir, "kpis"))
	if code != 0 || !strings.Contains(stdout, "to 2026-03-02T00:00:00Z: 1 series, 1440 gauge") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the range to end at 2026-03-02", code, stdout, stderr)
	}
}

// TestBackfillStopsAtExistingBlocks runs twice into the same folder without --to: the second
// run ends where the first one's blocks begin.
func TestBackfillStopsAtExistingBlocks(t *testing.T) {
	dir := backfillFolder(t)
	out := filepath.Join(dir, "blocks")
	if code, _, stderr := kpic(t, "backfill", "--from=2026-03-02", "--to=2026-03-03", "--out="+out, filepath.Join(dir, "kpis")); code != 0 {
		t.Fatalf("first run: %s", stderr)
	}
	code, stdout, stderr := kpic(t, "backfill", "--from=2026-03-01", "--out="+out, filepath.Join(dir, "kpis"))
	if code != 0 || !strings.Contains(stdout, "to 2026-03-02T00:00:00Z: 1 series, 1440 gauge") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the second run to end at 2026-03-02", code, stdout, stderr)
	}
}

func TestBackfillRejectsBadInput(t *testing.T) {
	dir := backfillFolder(t)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a date that is not one", []string{"--from=March 1st", "--to=2026-03-03"}, `--from="March 1st": want a date (2026-01-01) or an RFC 3339 time`},
		{"an empty range", []string{"--from=2026-03-03", "--to=2026-03-01"}, "must be before --to"},
		{"blocks shorter than Prometheus' own", []string{"--from=2026-03-01", "--to=2026-03-03", "--block-duration=1h"}, "at least 2h"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"backfill", "--out=" + filepath.Join(dir, "blocks")}, c.args...)
			code, _, stderr := kpic(t, append(args, filepath.Join(dir, "kpis"))...)
			if code != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, c.want)
			}
		})
	}
}
