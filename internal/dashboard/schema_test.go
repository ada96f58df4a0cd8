package dashboard

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaDir finds shared/grafana-schema beside the repository (the module root's parent);
// it skips the test when missing, and fails it when CI=true.
func schemaDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
	}
	schemas := filepath.Join(filepath.Dir(dir), "shared", "grafana-schema")
	if _, err := os.Stat(filepath.Join(schemas, "dashboard.jsonschema.json")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Grafana JSON schemas missing at %s: check out shared/ beside the repository", schemas)
		}
		t.Skipf("Grafana JSON schemas missing at %s: put grafana-foundation-sdk's jsonschema/ there to run this test", schemas)
	}
	return schemas
}

// schemas compiles schema definitions by file and JSON pointer on demand.
type schemas struct {
	t        *testing.T
	dir      string
	compiler *jsonschema.Compiler
	cache    map[string]*jsonschema.Schema
}

func newSchemas(t *testing.T) *schemas {
	return &schemas{t: t, dir: schemaDir(t), compiler: jsonschema.NewCompiler(), cache: map[string]*jsonschema.Schema{}}
}

// units lists the unit ids of units.jsonschema.json (its definitions are one const each).
func (s *schemas) units() map[string]bool {
	s.t.Helper()
	data, err := os.ReadFile(filepath.Join(s.dir, "units.jsonschema.json"))
	if err != nil {
		s.t.Fatal(err)
	}
	var doc struct {
		Definitions map[string]struct {
			Const string `json:"const"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		s.t.Fatal(err)
	}
	out := map[string]bool{}
	for _, d := range doc.Definitions {
		out[d.Const] = true
	}
	return out
}

// has reports whether file defines the definition def.
func (s *schemas) has(file, def string) bool {
	data, err := os.ReadFile(filepath.Join(s.dir, file))
	return err == nil && bytes.Contains(data, []byte(`"`+def+`": {`))
}

// validate checks v against file, or against its definition def when def is not empty.
func (s *schemas) validate(what string, v any, file, def string) {
	s.t.Helper()
	loc := "file://" + filepath.ToSlash(filepath.Join(s.dir, file))
	if def != "" {
		loc += "#/definitions/" + def
	}
	sch, ok := s.cache[loc]
	if !ok {
		var err error
		if sch, err = s.compiler.Compile(loc); err != nil {
			s.t.Fatalf("compile %s: %v", loc, err)
		}
		s.cache[loc] = sch
	}
	if err := sch.Validate(v); err != nil {
		s.t.Errorf("%s does not match %s %s: %v", what, file, def, err)
	}
}
