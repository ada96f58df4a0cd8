package definition

import (
	"io/fs"

	"gopkg.in/yaml.v3"
)

// ParseYAML checks that data is text and parses its YAML documents into nodes, turning a
// syntax error into a diagnostic at its line, as Load does; kpic test reads its files with it.
// Documents parsed before a syntax error are returned with it.
func ParseYAML(file string, data []byte) ([]*yaml.Node, Diagnostics) {
	if d, bad := checkText(file, data); bad {
		return nil, Diagnostics{d}
	}
	docs, err := parseDocuments(data)
	if err != nil {
		return docs, Diagnostics{syntaxError(file, data, err)}
	}
	return docs, nil
}

// ReadLimited reads a file of fsys, refusing it when it is larger than MaxFileSize.
func ReadLimited(fsys fs.FS, name string) ([]byte, error) { return readLimited(fsys, name) }
