package kpitest

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kpic/kpic/internal/definition"
)

// Load reads every *_test.yaml and *_test.yml file under dir (hidden folders skipped) and
// checks it against the catalog. Every problem of every file is reported, positioned; files
// with errors are left out of the result.
func Load(dir string, c *Catalog) ([]*File, definition.Diagnostics) {
	return LoadFS(os.DirFS(dir), filepath.ToSlash(dir), c)
}

// LoadFS is Load over any file system; display prefixes file names in messages.
func LoadFS(fsys fs.FS, display string, c *Catalog) ([]*File, definition.Diagnostics) {
	names, err := testFiles(fsys)
	if err != nil {
		return nil, definition.Diagnostics{{Pos: definition.Pos{File: display}, Message: fmt.Sprintf("cannot list test files: %v", err)}}
	}
	var files []*File
	var diags definition.Diagnostics
	for _, name := range names {
		shown := path.Join(display, name)
		data, err := definition.ReadLimited(fsys, name)
		if err != nil {
			diags = append(diags, definition.Diagnostic{Pos: definition.Pos{File: shown, Line: 1, Col: 1}, Message: err.Error()})
			continue
		}
		f, fd := Parse(shown, data, c)
		diags = append(diags, fd...)
		if !fd.HasErrors() {
			files = append(files, f)
		}
	}
	diags.Sort()
	return files, diags
}

// testFiles lists the test files under the root, sorted.
func testFiles(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && p != "." && strings.HasPrefix(e.Name(), ".") {
			return fs.SkipDir
		}
		if !e.IsDir() && definition.IsTestFile(p) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Parse decodes and checks one test file's text; file names it in messages.
func Parse(file string, data []byte, c *Catalog) (*File, definition.Diagnostics) {
	docs, diags := definition.ParseYAML(file, data)
	if diags.HasErrors() {
		return nil, diags
	}
	f := &File{Path: file}
	d := &fileDecoder{decoder: decoder{file: file, diags: &diags}, cat: c, names: map[string]int{}}
	for _, doc := range docs {
		if len(doc.Content) > 0 {
			d.document(doc.Content[0], f)
		}
	}
	if len(f.Tests) == 0 && !diags.HasErrors() {
		diags = append(diags, definition.Diagnostic{Pos: definition.Pos{File: file, Line: 1, Col: 1},
			Message: "no tests: a test file holds `tests:`, a list of tests with name, series and expect"})
	}
	diags.Sort()
	return f, diags
}

// fileDecoder decodes one file's tests, checking names against the catalog.
type fileDecoder struct {
	decoder
	cat *Catalog
	// names maps test names to the line they were first written at.
	names map[string]int
	// samples counts the input samples of the file, against maxSamples.
	samples int
}

// document decodes `tests:`.
func (d *fileDecoder) document(root *yaml.Node, f *File) {
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	top, ok := d.mapping(root, "test file", []string{"tests"})
	if !ok || top["tests"] == nil {
		return
	}
	items, ok := d.list(top["tests"], "tests")
	if !ok {
		return
	}
	for _, item := range items {
		if t, ok := d.test(item); ok {
			f.Tests = append(f.Tests, t)
		}
	}
}
