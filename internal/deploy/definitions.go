package deploy

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kpic/kpic/internal/output"
)

// Definitions reads the definition files a model was loaded from (Model.Files, relative to dir)
// as files under DefinitionsPrefix, for the caller to pass to Build with the generated files.
func Definitions(dir string, files []string) ([]output.File, error) {
	out := make([]output.File, 0, len(files))
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return nil, fmt.Errorf("deploy: read definitions: %w", err)
		}
		out = append(out, output.File{Path: DefinitionsPrefix + filepath.ToSlash(name), Data: data})
	}
	return out, nil
}
