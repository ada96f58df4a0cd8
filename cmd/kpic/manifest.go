package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kpic/kpic/internal/output"
)

// manifestPath lists what the last build wrote, so the next build can remove files it no longer
// generates (a deleted KPI's dashboard) without touching files users added beside them.
const manifestPath = "deploy/.kpic-generated"

const manifestHeader = "# Files written by kpic build; it removes the ones it no longer generates. DO NOT EDIT.\n"

func manifestFile(files []output.File) output.File {
	var b bytes.Buffer
	b.WriteString(manifestHeader)
	for _, f := range files {
		b.WriteString(f.Path + "\n")
	}
	return output.File{Path: manifestPath, Data: b.Bytes()}
}

func writeManifest(out string, files []output.File) error {
	return output.Write(out, []output.File{manifestFile(files)})
}

// readManifest returns the paths the previous build wrote; none when there was no build.
func readManifest(out string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(manifestPath)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the list of generated files: %w", err)
	}
	var paths []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || !safeRelative(line) {
			continue
		}
		paths = append(paths, line)
	}
	return paths, sc.Err()
}

// safeRelative refuses manifest entries that would reach outside the output folder.
func safeRelative(p string) bool {
	return filepath.IsLocal(filepath.FromSlash(p))
}

// orphans lists paths of the previous build that the current one does not generate.
func orphans(previous []string, files []output.File) []string {
	current := map[string]bool{}
	for _, f := range files {
		current[f.Path] = true
	}
	var out []string
	for _, p := range previous {
		if !current[p] {
			out = append(out, p)
		}
	}
	return out
}

func removeOrphans(out string, previous []string, files []output.File) ([]string, error) {
	var removed []string
	for _, p := range orphans(previous, files) {
		err := os.Remove(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("remove %s, no longer generated: %w", p, err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}
