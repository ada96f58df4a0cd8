package definition

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
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
	if len(files) == 0 {
		return nil, Diagnostics{{Pos: Pos{File: display}, Message: "no definitions found: the folder has no *.yaml or *.yml file"}}
	}
	m := &Model{Files: files}
	texts := merge(m, readAll(fsys, display, files), &diags)
	applyDefaults(m)
	validate(m, texts, &diags)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags
	}
	m.buildIndex()
	return m, diags
}

// fileResult is what one file contributes to the model.
type fileResult struct {
	file     string
	data     []byte
	part     Model
	settings []*settingsAt
	diags    Diagnostics
}

// readAll reads and decodes the files in parallel (they are independent until merged) and
// returns their results in the order of files, so loading stays deterministic.
func readAll(fsys fs.FS, display string, files []string) []fileResult {
	results := make([]fileResult, len(files))
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, name := range files {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			results[i] = readFile(fsys, path.Join(display, name), name)
		})
	}
	wg.Wait()
	return results
}

// readFile reads and decodes one file.
func readFile(fsys fs.FS, shown, name string) fileResult {
	r := fileResult{file: shown}
	data, err := readLimited(fsys, name)
	if err != nil {
		r.diags = Diagnostics{{Pos: Pos{File: shown, Line: 1, Col: 1}, Message: err.Error()}}
		return r
	}
	r.data = data
	r.settings = parseFile(shown, data, &r.part, &r.diags)
	return r
}

// merge concatenates the files' sections in file order, keeps the one settings section and
// returns each file's text by its shown name.
func merge(m *Model, results []fileResult, diags *Diagnostics) map[string][]byte {
	var settings []*settingsAt
	texts := make(map[string][]byte, len(results))
	for _, r := range results {
		*diags = append(*diags, r.diags...)
		texts[r.file] = r.data
		settings = append(settings, r.settings...)
		m.Sources = append(m.Sources, r.part.Sources...)
		m.Teams = append(m.Teams, r.part.Teams...)
		m.Objectives = append(m.Objectives, r.part.Objectives...)
		m.Metrics = append(m.Metrics, r.part.Metrics...)
		m.KPIs = append(m.KPIs, r.part.KPIs...)
	}
	mergeSettings(m, settings, diags)
	return texts
}

// IsTestFile reports whether a file holds kpic test cases (*_test.yaml or *_test.yml) rather
// than definitions: Load skips those files and kpic test reads them.
func IsTestFile(name string) bool {
	return strings.HasSuffix(name, "_test.yaml") || strings.HasSuffix(name, "_test.yml")
}

// listFiles returns the definition files under the root in sorted order, skipping hidden
// folders and test files.
func listFiles(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && p != "." && strings.HasPrefix(e.Name(), ".") {
			return fs.SkipDir
		}
		if !e.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) && !IsTestFile(p) {
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
