// Package starter writes the folder kpic init creates: a small, valid set of definitions on a
// seeded SQLite database, so a new user has something that checks, builds and serves at once.
package starter

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DatabaseFile is the seeded example database, beside the definitions.
const DatabaseFile = "example.db"

// Options say what varies between two starter folders.
type Options struct {
	// Year is the year of the example objective's period.
	Year int
	// Schema is the text of kpic's JSON Schema, written beside the definitions for editors.
	Schema []byte
}

// file is one file of the starter folder.
type file struct {
	name string
	data []byte
}

// Write creates the starter folder dir (and dir itself when missing). It never overwrites: when
// any of its files exists it writes nothing and names them all. It returns the paths written.
func Write(dir string, opts Options) ([]string, error) {
	files := textFiles(dir, opts)
	names := []string{DatabaseFile}
	for _, f := range files {
		names = append(names, f.name)
	}
	if err := refuseExisting(dir, names); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	var written []string
	fail := func(err error) ([]string, error) {
		for _, p := range written {
			os.Remove(p) //nolint:errcheck // best effort: undo what this run created
		}
		return nil, err
	}
	db := filepath.Join(dir, DatabaseFile)
	if err := writeDatabase(db); err != nil {
		return fail(err)
	}
	written = append(written, db)
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := createFile(p, f.data); err != nil {
			return fail(err)
		}
		written = append(written, p)
	}
	return written, nil
}

// refuseExisting fails, naming each of them, when any of names exists in dir.
func refuseExisting(dir string, names []string) error {
	var existing []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		if _, err := os.Lstat(p); err == nil {
			existing = append(existing, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("checking %s: %w", p, err)
		}
	}
	if len(existing) > 0 {
		return fmt.Errorf("%w: %s; nothing was written: choose another folder or move them away",
			ErrExists, strings.Join(existing, ", "))
	}
	return nil
}

// ErrExists says kpic init found files it would have overwritten.
var ErrExists = errors.New("refusing to overwrite existing files")

// createFile writes a new file, failing if it appeared since refuseExisting looked.
func createFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// DSN is the example source's dsn: the database's path as the user named the folder, so that
// kpic serve run from the same place finds it.
func DSN(dir string) string { return filepath.ToSlash(filepath.Join(dir, DatabaseFile)) }
