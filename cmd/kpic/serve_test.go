package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// seedE2E creates the end-to-end SQLite database from testdata/serve/seed.sql.
func seedE2E(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.db")
	seed, err := os.ReadFile("testdata/serve/seed.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(seed)); err != nil {
		t.Fatal(err)
	}
	return path
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeEndToEnd builds the binary, serves the testdata folder and compares the
// exposition, with volatile self-metrics filtered, to testdata/serve.golden.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "kpic")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--config.dir=testdata/serve/kpis", "--web.listen-address="+addr, "--log.format=json")
	cmd.Env = append(os.Environ(), "KPIC_E2E_DB="+seedE2E(t))
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		t.Logf("stderr:\n%s", stderr.String())
	}()
	waitHTTP(t, "http://"+addr+"/-/ready")
	body := httpGet(t, "http://"+addr+"/metrics")
	checkGolden(t, "testdata/serve.golden", filterVolatile(body))

	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(stderr.String(), "configuration applied") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := strings.Count(stderr.String(), "configuration applied"); n < 2 {
		t.Errorf("SIGHUP did not reload (%d applies)", n)
	}
}

// lockedBuffer collects the child's stderr, written by exec's copier while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatalf("%s never answered 200", url)
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	// runtimeFamilies depend on the machine and the build.
	runtimeFamilies = regexp.MustCompile(`^(# (HELP|TYPE) )?(go_|process_|kpic_build_info)`)
	// volatileValues are timings and timestamps; their series stay, their values do not.
	volatileValues = regexp.MustCompile(`^(kpic_query_duration_seconds|kpic_query_last_success_timestamp_seconds|kpic_config_last_reload_success_timestamp_seconds)(\{[^}]*\})? .*$`)
)

func filterVolatile(body string) string {
	var out strings.Builder
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if runtimeFamilies.MatchString(line) {
			continue
		}
		fmt.Fprintln(&out, volatileValues.ReplaceAllString(line, "$1$2 <volatile>"))
	}
	return out.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("exposition differs from %s (run with -update to accept):\n%s", path, got)
	}
}

func TestServeConfigCheck(t *testing.T) {
	tests := []struct {
		name string
		env  string
		code int
		out  string
	}{
		{name: "valid definitions with their variables set pass", env: "/tmp/x.db", code: 0, out: "config OK: 3 exported queries, 1 sources"},
		{name: "an unset DSN variable fails", env: "", code: 1, out: "KPIC_E2E_DB is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KPIC_E2E_DB", tt.env)
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), []string{"serve", "--config.check", "--config.dir=testdata/serve/kpis"}, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stdout.String()+stderr.String(), tt.out) {
				t.Errorf("exit %d, output %q %q; want %d and %q", code, stdout.String(), stderr.String(), tt.code, tt.out)
			}
		})
	}
}
