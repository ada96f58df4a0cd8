package main

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/demo"
)

// TestReadmeFirstKPIWalkthrough follows the README's "Your first KPI" on a freshly seeded demo
// database: the file it shows must check, its queries must run cleanly, kpic query must print
// both series, and a build must satisfy check.
func TestReadmeFirstKPIWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo database")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)Save this as `kpis/refunds.yaml`:\n\n```yaml\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no refunds.yaml block after \"Save this as `kpis/refunds.yaml`:\"")
	}
	root := t.TempDir()
	defs := filepath.Join(root, "kpis")
	copyDir(t, "../../kpis", defs)
	if err := os.WriteFile(filepath.Join(defs, "refunds.yaml"), m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KPIC_DEMO_DB", seedDemo(t))

	if code, stdout, errs := kpic(t, "check", "--queries", "--definitions-only", defs); code != 0 || stdout+errs != "" {
		t.Fatalf("check --queries exited %d:\n%s%s", code, stdout, errs)
	}
	code, stdout, errs := kpic(t, "query", "--config.dir", defs, "refunded_orders_30d", "refund_ratio")
	if code != 0 {
		t.Fatalf("query exited %d: %s", code, errs)
	}
	for _, series := range []string{"business_refunded_orders_30d", "business_refund_ratio"} {
		if v := sampleOf(stdout, series); !(v > 0) {
			t.Errorf("%s: got %v, want a positive sample:\n%s", series, v, stdout)
		}
	}
	if code, _, errs := kpic(t, "build", "--out", root, defs); code != 0 {
		t.Fatalf("build: %s", errs)
	}
	if code, stdout, errs := kpic(t, "check", "--out", root, defs); code != 0 {
		t.Fatalf("check after build exited %d:\n%s%s", code, stdout, errs)
	}
}

// seedDemo creates the demo company's database, as make demo-db does, and returns its path.
func seedDemo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := demo.Seed(context.Background(), db, time.Now(), rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	return path
}

// sampleOf returns the value of the unlabelled series in an exposition, -1 when absent.
func sampleOf(exposition, series string) float64 {
	for _, line := range strings.Split(exposition, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}
