package output

import (
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteCreatesChangesAndLeavesEqualFilesAlone(t *testing.T) {
	dir := t.TempDir()
	files := []File{{Path: "a/b/one.json", Data: []byte("one\n")}, {Path: "a/two.yml", Data: []byte("two\n")},
		{Path: "three.txt", Data: []byte("three\n")}}
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, f := range files {
		if err := os.Chtimes(filepath.Join(dir, f.Path), old, old); err != nil {
			t.Fatal(err)
		}
	}
	files[1].Data = []byte("TWO\n")    // same size, other content
	files[2].Data = []byte("three!\n") // other size
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		p := filepath.Join(dir, f.Path)
		data, err := os.ReadFile(p)
		if err != nil || string(data) != string(f.Data) {
			t.Errorf("%s holds %q (%v), want %q", f.Path, data, err, f.Data)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if unchanged := info.ModTime().Equal(old); unchanged != (i == 0) {
			t.Errorf("%s: modification time kept %v, want kept only for the unchanged file", f.Path, unchanged)
		}
		if info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", f.Path, info.Mode().Perm())
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "a", ".kpic-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestWriteReportsTheFirstFailingFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "b.json", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := Write(dir, []File{{Path: "a.json", Data: []byte("a")}, {Path: "b.json", Data: []byte("b")}})
	if err == nil {
		t.Fatal("writing over a folder succeeded")
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "a.json")); string(data) != "a" {
		t.Errorf("the other file was not written: %q", data)
	}
}

// TestWriteTakesTheFoldersInTurn checks the order workers take files in: every file once, and
// no two files of one folder in a row while another folder still has files (workers writing
// one folder wait on its lock).
func TestWriteTakesTheFoldersInTurn(t *testing.T) {
	var files []File
	for _, p := range []string{"d/objectives/a.json", "d/objectives/b.json", "d/objectives/c.json", "d/objectives/d.json",
		"p/a.yml", "p/b.yml", "d/kpi.json", "p/c.yml"} {
		files = append(files, File{Path: p})
	}
	order := byFolderInTurn(files)
	seen := map[int]bool{}
	left := map[string]int{}
	for _, f := range files {
		left[path.Dir(f.Path)]++
	}
	for k, i := range order {
		if seen[i] {
			t.Fatalf("order %v takes file %d twice", order, i)
		}
		seen[i] = true
		dir := path.Dir(files[i].Path)
		if k > 0 && path.Dir(files[order[k-1]].Path) == dir {
			for other, n := range left {
				if other != dir && n > 0 {
					t.Errorf("order %v: two files of %s in a row while %s has %d left", order, dir, other, n)
				}
			}
		}
		left[dir]--
	}
	if len(seen) != len(files) {
		t.Errorf("order %v takes %d of %d files", order, len(seen), len(files))
	}
}
