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

func TestCompare(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           Change
	}{
		{"equal texts give no diff", "a\nb\n", "a\nb\n", Change{}},
		{"a changed line shows with its context",
			"1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\nfour\n5\n6\n7\n8\n",
			Change{Diff: "--- old\n+++ new\n@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n", Added: 1, Removed: 1, Line: 4}},
		{"an added file diffs against nothing",
			"", "x\ny\n", Change{Diff: "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n", Added: 2, Line: 1}},
		{"a missing final newline is marked",
			"a\n", "a", Change{Diff: "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n", Added: 1, Removed: 1, Line: 1}},
		{"content that looks like a header is counted",
			"x\n", "x\n+++ y\n", Change{Diff: "--- old\n+++ new\n@@ -1 +1,2 @@\n x\n++++ y\n", Added: 1, Line: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare("old", "new", []byte(tt.old), []byte(tt.new)); got != tt.want {
				t.Errorf("got %+v\n%s\nwant %+v\n%s", got, got.Diff, tt.want, tt.want.Diff)
			}
		})
	}
}

// TestOneLineChangeInALargeRepetitiveFileIsOneLineHunk is the case the hand-written diff got
// wrong: a change inside a large file of repeated lines (a dashboard's JSON) must not turn into a
// hunk of thousands of lines.
func TestOneLineChangeInALargeRepetitiveFileIsOneLineHunk(t *testing.T) {
	var b strings.Builder
	for i := range 50000 {
		b.WriteString("    {\n      \"title\": \"panel " + strconv.Itoa(i) + "\",\n      \"type\": \"stat\"\n    },\n")
	}
	old := b.String()
	neu := strings.Replace(old, `"panel 31337"`, `"Panel 31337"`, 1)
	c := Compare("a", "b", []byte(old), []byte(neu))
	if c.Added != 1 || c.Removed != 1 || strings.Count(c.Diff, "\n@@ ") != 1 {
		t.Fatalf("got +%d -%d in %d hunks:\n%.2000s", c.Added, c.Removed, strings.Count(c.Diff, "\n@@ "), c.Diff)
	}
	if want := 31337*4 + 2; c.Line != want {
		t.Errorf("first difference at line %d, want %d", c.Line, want)
	}
}

// TestALargeInsertionAmongRepeatedLinesIsMinimal adds a KPI's worth of panels to a dashboard
// and renames another: the diff must add exactly the new lines and change exactly the title,
// not replace the stretch between them (where a search with a small edit budget gives up).
func TestALargeInsertionAmongRepeatedLinesIsMinimal(t *testing.T) {
	panel := func(i int) string {
		return "    {\n      \"title\": \"panel " + strconv.Itoa(i) + "\",\n      \"type\": \"stat\"\n    },\n"
	}
	var old, neu strings.Builder
	for i := range 2000 {
		old.WriteString(panel(i))
		if i == 10 {
			neu.WriteString(strings.Replace(panel(i), "panel", "Panel", 1))
			continue
		}
		neu.WriteString(panel(i))
		if i == 1000 {
			for j := range 100 {
				neu.WriteString(panel(5000 + j))
			}
		}
	}
	c := Compare("a", "b", []byte(old.String()), []byte(neu.String()))
	if c.Added != 401 || c.Removed != 1 {
		t.Errorf("got +%d -%d, want +401 -1", c.Added, c.Removed)
	}
}

// TestDiffAppliesWithPatch checks random edits against GNU patch: applying the diff to the old
// text must give the new text exactly.
func TestDiffAppliesWithPatch(t *testing.T) {
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
		c := Compare("a/f", "b/f", []byte(old), []byte(neu))
		dir := t.TempDir()
		f := filepath.Join(dir, "f")
		if err := os.WriteFile(f, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("patch", "--quiet", "--force", f)
		cmd.Stdin = strings.NewReader(c.Diff)
		if out, err := cmd.CombinedOutput(); err != nil && old != neu {
			t.Fatalf("case %d: patch failed: %v\n%s\ndiff:\n%s", i, err, out, c.Diff)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != neu {
			t.Fatalf("case %d: patched text differs\ndiff:\n%s", i, c.Diff)
		}
		if plus, minus := countLines(c.Diff); old != neu && (plus != c.Added || minus != c.Removed) {
			t.Fatalf("case %d: counted +%d -%d, the diff has %d and %d lines", i, c.Added, c.Removed, plus, minus)
		}
	}
}

// countLines counts the + and - lines of a diff below its two header lines.
func countLines(d string) (plus, minus int) {
	lines := strings.Split(d, "\n")
	for _, l := range lines[min(2, len(lines)):] {
		switch {
		case strings.HasPrefix(l, "+"):
			plus++
		case strings.HasPrefix(l, "-"):
			minus++
		}
	}
	return plus, minus
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

// BenchmarkCompareLargeFile diffs a 200,000-line file with a handful of scattered changes.
func BenchmarkCompareLargeFile(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	old := randomText(r, 200000)
	neu := mutate(r, old)
	for b.Loop() {
		Compare("a", "b", []byte(old), []byte(neu))
	}
}
