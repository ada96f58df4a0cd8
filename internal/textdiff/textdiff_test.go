package textdiff

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"equal texts give no diff", "a\nb\n", "a\nb\n", ""},
		{"a changed line shows with its context",
			"1\n2\n3\n4\n5\n6\n7\n", "1\n2\n3\nfour\n5\n6\n7\n",
			"--- old\n+++ new\n@@ -2,5 +2,5 @@\n 2\n 3\n-4\n+four\n 5\n 6\n"},
		{"an added file diffs against nothing",
			"", "x\n", "--- old\n+++ new\n@@ -0,0 +1 @@\n+x\n"},
		{"a missing final newline is marked",
			"a\n", "a", "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unified("old", "new", tt.old, tt.new, 2); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestUnifiedAppliesWithPatch checks random edits against GNU patch: applying our diff to the
// old text must give the new text exactly.
func TestUnifiedAppliesWithPatch(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("GNU patch is required in CI: apt-get install -y patch")
		}
		t.Skip("GNU patch not installed (apt-get install -y patch)")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		old := randomText(r, 40)
		neu := mutate(r, old)
		d := Unified("a/f", "b/f", old, neu, 3)
		dir := t.TempDir()
		f := filepath.Join(dir, "f")
		if err := os.WriteFile(f, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("patch", "--quiet", "--force", f)
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("case %d: patch failed: %v\n%s\ndiff:\n%s", i, err, out, d)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != neu {
			t.Fatalf("case %d: patched text differs\ndiff:\n%s", i, d)
		}
	}
}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString("line " + strconv.Itoa(r.IntN(12)) + "\n")
	}
	return b.String()
}

func mutate(r *rand.Rand, s string) string {
	lines := strings.SplitAfter(s, "\n")
	lines = lines[:len(lines)-1]
	for range 1 + r.IntN(6) {
		i := r.IntN(len(lines) + 1)
		switch r.IntN(3) {
		case 0:
			lines = append(lines[:i], append([]string{"new " + strconv.Itoa(r.IntN(99)) + "\n"}, lines[i:]...)...)
		case 1:
			if i < len(lines) {
				lines = append(lines[:i], lines[i+1:]...)
			}
		default:
			if i < len(lines) {
				lines[i] = "changed\n"
			}
		}
	}
	return strings.Join(lines, "")
}

func BenchmarkUnified(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	old := randomText(r, 3000)
	neu := mutate(r, old)
	for b.Loop() {
		Unified("a", "b", old, neu, 3)
	}
}
