package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
	"github.com/kpic/kpic/internal/starter"
)

// TestInitWritesAStarterThatChecksBuildsAndServes runs kpic init into a fresh folder, then
// kpic check, kpic build, check against the build, serve --config.check, and every exported
// query against the seeded database, with the figures the starter promises.
func TestInitWritesAStarterThatChecksBuildsAndServes(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "kpis")
	code, stdout, stderr := kpic(t, "init", dir)
	if code != 0 {
		t.Fatalf("init exited %d: %s", code, stderr)
	}
	for _, name := range []string{"settings.yaml", "revenue.yaml", "revenue_test.yaml", starter.DatabaseFile, starter.SchemaFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("init did not write %s: %v\n%s", name, err, stdout)
		}
	}
	if code, _, stderr := kpic(t, "check", "--definitions-only", "--queries", dir); code != 0 || stderr != "" {
		t.Fatalf("check --queries of the starter exited %d, want 0 and no warning:\n%s", code, stderr)
	}
	if code, stdout, stderr := kpic(t, "test", dir); code != 0 {
		t.Fatalf("kpic test of the starter exited %d:\n%s%s", code, stdout, stderr)
	}
	expectTestCanFail(t, dir)
	out := filepath.Join(root, "out")
	if code, _, stderr := kpic(t, "build", "--out", out, dir); code != 0 {
		t.Fatalf("build exited %d: %s", code, stderr)
	}
	if code, stdout, stderr := kpic(t, "check", "--out", out, dir); code != 0 {
		t.Fatalf("check after build exited %d:\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := kpic(t, "serve", "--config.check", "--config.dir", dir); code != 0 || !strings.Contains(stdout, "3 exported queries, 1 sources") {
		t.Fatalf("serve --config.check exited %d:\n%s%s", code, stdout, stderr)
	}
	got := runExports(t, dir)
	want := map[string]float64{
		`customers{plan="basic"}`: 27, `customers{plan="pro"}`: 13,
		`cancelled_customers{plan="basic"}`: starter.ExampleCancelled, `mrr_dollars`: starter.ExampleMRR,
	}
	if len(got) != len(want) {
		t.Errorf("queries returned %v, want %v", got, want)
	}
	for series, v := range want {
		if got[series] != v {
			t.Errorf("%s = %v, want %v (all: %v)", series, got[series], v, got)
		}
	}
	if got[`customers{plan="basic"}`]+got[`customers{plan="pro"}`] != starter.ExampleCustomers {
		t.Errorf("customers do not add up to %d: %v", starter.ExampleCustomers, got)
	}
	serveAndScrape(t, dir, `business_mrr_dollars 1170`, `business_customers{plan="pro"} 13`)
}

// serveAndScrape runs kpic serve in-process on dir and waits until /metrics shows every line.
func serveAndScrape(t *testing.T, dir string, lines ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := freeAddr(t)
	done := make(chan int, 1)
	var logs lockedBuffer
	go func() {
		done <- Run(ctx, []string{"serve", "--config.dir", dir, "--web.listen-address", addr}, &logs, &logs)
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, logs.String())
		}
	}()
	waitHTTP(t, "http://"+addr+"/-/healthy")
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if body = httpGet(t, "http://"+addr+"/metrics"); containsAll(body, lines) {
			return
		}
	}
	t.Errorf("/metrics never showed %q:\n%s\nlogs:\n%s", lines, body, logs.String())
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// expectTestCanFail changes one expectation of the starter's test file in a copy of dir and
// checks that kpic test then fails at it.
func expectTestCanFail(t *testing.T, dir string) {
	t.Helper()
	wrong := t.TempDir()
	copyDir(t, dir, wrong)
	path := filepath.Join(wrong, "revenue_test.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), "value: 1170", "value: 1171", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := kpic(t, "test", wrong)
	if code != 1 || !strings.Contains(stdout+stderr, "want 1171") {
		t.Errorf("kpic test with a wrong expectation exited %d, want 1 naming it:\n%s%s", code, stdout, stderr)
	}
}

// runExports runs every exported query of the folder on its source, as kpic serve does, and
// returns the samples by series.
func runExports(t *testing.T, dir string) map[string]float64 {
	t.Helper()
	m, diags := definition.Load(dir)
	if m == nil {
		t.Fatal(diags.Error())
	}
	got := map[string]float64{}
	for _, e := range m.Exported() {
		src, err := source.Open(m.Sources[0], source.OSEnv())
		if err != nil {
			t.Fatal(err)
		}
		q := source.Query{Name: e.Name, SQL: e.Query, Labels: e.Labels, Timeout: 10 * time.Second}
		_, err = src.Run(context.Background(), q, func(labels [][]byte, v float64) {
			key := e.Name
			for i, l := range labels {
				key += "{" + e.Labels[i] + `="` + string(l) + `"}`
			}
			got[key] = v
		})
		src.Close()
		if err != nil {
			t.Fatalf("query of %s: %v", e.Name, err)
		}
	}
	return got
}

// TestInitNeverOverwrites runs kpic init into folders holding one or all of its files: it
// exits 1 naming each file it would overwrite, and writes nothing.
func TestInitNeverOverwrites(t *testing.T) {
	full := t.TempDir()
	if code, _, stderr := kpic(t, "init", full); code != 0 {
		t.Fatalf("first init exited %d: %s", code, stderr)
	}
	before := readTree(t, full)
	code, _, stderr := kpic(t, "init", full)
	if code != 1 || !strings.Contains(stderr, "refusing to overwrite") {
		t.Fatalf("second init exited %d, want 1 and a refusal: %s", code, stderr)
	}
	for name := range before {
		if !strings.Contains(stderr, filepath.Join(full, name)) {
			t.Errorf("the refusal does not name %s: %s", name, stderr)
		}
	}
	if after := readTree(t, full); len(after) != len(before) {
		t.Errorf("second init changed the folder: %d files, then %d", len(before), len(after))
	} else {
		for name, data := range before {
			if after[name] != data {
				t.Errorf("second init rewrote %s", name)
			}
		}
	}

	one := t.TempDir()
	mine := filepath.Join(one, "revenue.yaml")
	if err := os.WriteFile(mine, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = kpic(t, "init", one)
	if code != 1 || !strings.Contains(stderr, mine) || strings.Contains(stderr, "settings.yaml") {
		t.Fatalf("init over one file exited %d, want 1 naming %s only: %s", code, mine, stderr)
	}
	if files := readTree(t, one); len(files) != 1 || files["revenue.yaml"] != "# mine\n" {
		t.Errorf("init over one file wrote or changed files: %v", files)
	}
}

// TestInitWritesModelinesAndTheSchema checks that the starter's YAML names the schema written
// beside it, and that it is kpic schema's.
func TestInitWritesModelinesAndTheSchema(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := kpic(t, "init", dir); code != 0 {
		t.Fatalf("init exited %d: %s", code, stderr)
	}
	for _, name := range []string{"settings.yaml", "revenue.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "# yaml-language-server: $schema="+starter.SchemaFile+"\n") {
			t.Errorf("%s does not start with the schema modeline", name)
		}
	}
	schema, err := os.ReadFile(filepath.Join(dir, starter.SchemaFile))
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := definition.SchemaJSON(); string(schema) != string(want) {
		t.Errorf("%s differs from kpic schema", starter.SchemaFile)
	}
}
