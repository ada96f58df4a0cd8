// Package output is what every compiler returns: generated files, kept in memory until all of
// them built, then written together or compared with what is on disk.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// File is one generated file; Path is slash-separated and relative to the output folder.
type File struct {
	Path string
	Data []byte
}

// Sort orders files by path so callers get byte-identical results across runs.
func Sort(files []File) {
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
}

// Write puts every file under dir. Each file is written to a temporary name and renamed, so a
// failure never leaves a half-written file behind.
func Write(dir string, files []File) error {
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data); err != nil {
			return err
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kpic-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Stale lists the generated files whose content on disk under dir differs from files, or that are
// missing; each entry carries the fresh file and what is on disk now (nil when missing).
func Stale(dir string, files []File) ([]Drift, error) {
	var out []Drift
	for _, f := range files {
		old, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if errors.Is(err, fs.ErrNotExist) {
			out = append(out, Drift{File: f})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Path, err)
		}
		if !bytes.Equal(old, f.Data) {
			out = append(out, Drift{File: f, OnDisk: old})
		}
	}
	return out, nil
}

// Drift is a generated file that differs from the committed one.
type Drift struct {
	File   File
	OnDisk []byte // nil when the file is missing
}
