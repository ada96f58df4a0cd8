package spec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// MaxFileSize bounds one definitions file; anything larger is refused before it is read whole.
const MaxFileSize = 4 << 20

// Load reads every *.yaml and *.yml file under dir, merges, defaults and validates them.
// Diagnostics name files as dir/relative-path, the way the user typed dir. The model is nil
// when there is any error; warnings come with a model.
func Load(dir string) (*Model, Diagnostics) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: dir}, Message: fmt.Sprintf("cannot read definitions: %v", unwrapPath(err))}}
	}
	if !info.IsDir() {
		return nil, Diagnostics{{Pos: Pos{File: dir}, Message: "cannot read definitions: not a directory"}}
	}
	return LoadFS(os.DirFS(dir), filepath.ToSlash(dir))
}

// LoadFS is Load over any file system (tests and fuzzing use fstest.MapFS); display prefixes the
// file names in diagnostics ("kpis" gives "kpis/revenue.yaml").
func LoadFS(fsys fs.FS, display string) (*Model, Diagnostics) {
	var diags Diagnostics
	files, err := listFiles(fsys)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: display}, Message: fmt.Sprintf("cannot list definitions: %v", unwrapPath(err))}}
	}
	m := &Model{Files: files}
	var settings []*settingsAt
	texts := make(map[string][]byte, len(files))
	for _, name := range files {
		shown := path.Join(display, name)
		data, err := readLimited(fsys, name)
		if err != nil {
			diags = append(diags, Diagnostic{Pos: Pos{File: shown, Line: 1, Col: 1}, Message: err.Error()})
			continue
		}
		texts[shown] = data
		settings = append(settings, parseFile(shown, data, m, &diags)...)
	}
	mergeSettings(m, settings, &diags)
	applyDefaults(m)
	validate(m, texts, &diags)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags
	}
	return m, diags
}

// listFiles returns the YAML files under the root in sorted order, skipping hidden folders.
func listFiles(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && p != "." && strings.HasPrefix(e.Name(), ".") {
			return fs.SkipDir
		}
		if !e.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// readLimited reads a file, refusing it when it is larger than MaxFileSize.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", unwrapPath(err))
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d MiB; definitions files must be small", MaxFileSize>>20)
	}
	return data, nil
}

// unwrapPath drops the path from a *fs.PathError: diagnostics already name the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
