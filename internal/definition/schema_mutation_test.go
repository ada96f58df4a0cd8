package definition

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"
)

// beyondSchemaMessage matches the loader's errors of the kinds beyondSchema lists: a mutant
// the loader rejects only with these may pass the schema.
var beyondSchemaMessage = regexp.MustCompile(`^undefined |is also a label of settings.rules.labels|is a KPI, not a metric|^duplicate (\w+ )?name|is broken down by|wrong side of the target|before it starts|is computed from itself`)

// mutant is a valid folder with one change to one file.
type mutant struct {
	what string
	file string
	data []byte
}

// TestSchemaAgreesWithLoaderOnMutants changes the valid folders one field at a time (removing
// it, or adding an unknown key next to it) and checks that the loader and the schema agree on
// each result: both accept it, both reject it, or the loader rejects it for a reason beyond a
// schema. It catches a required field, a choice or a rule that one side knows and not the other.
func TestSchemaAgreesWithLoaderOnMutants(t *testing.T) {
	v := newValidators(t)
	for _, dir := range []string{"testdata/valid/full", "testdata/valid/minimal", "testdata/valid/demo"} {
		folder := readFolder(t, dir)
		n := 0
		for file, data := range folder {
			for _, m := range mutants(t, file, data) {
				n++
				checkMutant(t, v, folder, m)
			}
		}
		if n < 20 {
			t.Errorf("%s: only %d mutants; is the folder empty?", dir, n)
		}
	}
}

func checkMutant(t *testing.T, v validators, folder map[string][]byte, m mutant) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range folder {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	fsys[m.file] = &fstest.MapFile{Data: m.data}
	_, diags := LoadFS(fsys, "kpis")
	errs := diags.Errors()
	schemaErr := v.validate(t, m.file, m.data)
	switch {
	case len(errs) == 0 && schemaErr != nil:
		t.Errorf("%s, %s: the loader accepts it, the schema rejects it:\n%v", m.file, m.what, schemaErr)
	case len(errs) > 0 && schemaErr == nil && !allBeyondSchema(errs):
		t.Errorf("%s, %s: the loader rejects it, the schema accepts it:\n%s", m.file, m.what, errs.Error())
	}
}

func allBeyondSchema(errs Diagnostics) bool {
	for _, d := range errs {
		if !beyondSchemaMessage.MatchString(d.Message) {
			return false
		}
	}
	return true
}

// readFolder reads the definition files of dir by their path relative to it.
func readFolder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, file := range definitionFiles(t, dir) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, file)
		out[filepath.ToSlash(rel)] = data
	}
	return out
}

// mutants lists the changes of one file: each key below the top-level sections removed, and an
// unknown key added to each mapping.
func mutants(t *testing.T, file string, data []byte) []mutant {
	t.Helper()
	var out []mutant
	count := len(mappings(parseStream(t, data), 0))
	for i := range count {
		docs := parseStream(t, data)
		m := mappings(docs, 0)[i]
		if m.depth == 0 {
			continue
		}
		pairs := len(m.node.Content)
		m.node.Content = append(m.node.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "x_unknown"},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"})
		out = append(out, mutant{what: fmt.Sprintf("unknown key added at line %d", m.node.Line), file: file, data: encodeStream(t, docs)})
		for j := 0; j+1 < pairs; j += 2 {
			docs := parseStream(t, data)
			m := mappings(docs, 0)[i]
			key := m.node.Content[j]
			m.node.Content = append(m.node.Content[:j:j], m.node.Content[j+2:]...)
			out = append(out, mutant{what: fmt.Sprintf("%q removed at line %d", key.Value, key.Line), file: file, data: encodeStream(t, docs)})
		}
	}
	return out
}

// located is a mapping node and how deep it is (0 for a document's sections).
type located struct {
	node  *yaml.Node
	depth int
}

// mappings lists the mapping nodes under nodes in document order, not following aliases.
func mappings(nodes []*yaml.Node, depth int) []located {
	var out []located
	for _, n := range nodes {
		switch n.Kind {
		case yaml.DocumentNode:
			out = append(out, mappings(n.Content, depth)...)
		case yaml.MappingNode:
			out = append(out, located{n, depth})
			for j := 1; j < len(n.Content); j += 2 {
				out = append(out, mappings(n.Content[j:j+1], depth+1)...)
			}
		case yaml.SequenceNode:
			out = append(out, mappings(n.Content, depth)...)
		}
	}
	return out
}

func parseStream(t *testing.T, data []byte) []*yaml.Node {
	t.Helper()
	docs, err := parseDocuments(data)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func encodeStream(t *testing.T, docs []*yaml.Node) []byte {
	t.Helper()
	var parts []string
	for _, d := range docs {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		if err := enc.Encode(d); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, buf.String())
	}
	return []byte(strings.Join(parts, "---\n"))
}
