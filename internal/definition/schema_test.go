package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// committedSchema is the copy of the schema kept in the repository for editors and URLs.
const committedSchema = "../../schema/kpic.schema.json"

// beyondSchema lists the invalid cases of testdata/invalid that a JSON Schema cannot express,
// and why. The schema must accept each of them (so the list stays exact); kpic check rejects
// them. Every other invalid file must fail the schema.
var beyondSchema = map[string]string{
	"by_label_not_in_query":          compares,
	"by_label_not_in_ratio":          crossRef,
	"critical_above_higher_target":   compares,
	"critical_below_lower_target":    compares,
	"critical_inside_ramp":           compares,
	"dsn_password_keyvalue":          password,
	"dsn_password_mysql":             password,
	"dsn_password_mysql_url_chars":   password,
	"dsn_password_sslpassword":       password,
	"dsn_password_query_param":       password,
	"dsn_password_url":               password,
	"duplicate_name_metric_kpi":      crossRef,
	"duplicate_objective":            crossRef,
	"duplicate_source":               crossRef,
	"duplicate_team":                 crossRef,
	"label_clashes_with_rules_label": crossRef,
	"metric_kind_names_a_kpi":        crossRef,
	"period_end_before_start":        compares,
	"history_query_two_statements":   sqlScan,
	"query_attach":                   sqlScan,
	"query_transaction_control":      sqlScan,
	"query_two_statements":           sqlScan,
	"query_two_statements_block":     sqlScan,
	"query_write_in_with":            sqlScan,
	"promql_block_folded":            promQL,
	"promql_block_literal":           promQL,
	"promql_double_quoted":           promQL,
	"promql_plain":                   promQL,
	"promql_range_vector":            promQL,
	"ratio_of_itself":                compares,
	"settings_twice":                 crossRef,
	"undefined_contributor":          crossRef,
	"undefined_growth_metric":        crossRef,
	"undefined_metric":               crossRef,
	"undefined_objective":            crossRef,
	"undefined_objective_owner":      crossRef,
	"undefined_owner":                crossRef,
	"undefined_ratio_denominator":    crossRef,
	"undefined_source":               crossRef,
	"undefined_supporting":           crossRef,
}

// Why a case is beyond a schema, which sees one document and no other.
const (
	crossRef = "names are resolved against the other definitions, in every file of the folder"
	compares = "compares two values (critical against target, end against start, by against labels, a name against itself)"
	password = "finding a password needs the DSN parsed in each driver's syntax"
	promQL   = "PromQL is checked by Prometheus' parser"
	sqlScan  = "SQL is read statement by statement, with its strings and comments, to refuse writes"
)

// compileSchema compiles s as the given dialect, asserting formats (dates) as kpic does.
func compileSchema(t *testing.T, s []byte, dialect string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	doc.(map[string]any)["$schema"] = dialect
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("kpic.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("kpic.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile as %s: %v", dialect, err)
	}
	return sch
}

// validators checks documents with the schema read as 2020-12 and as draft-07 (what the YAML
// language server implements), which must agree.
type validators struct{ modern, draft7 *jsonschema.Schema }

func newValidators(t *testing.T) validators {
	t.Helper()
	s, err := SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	return validators{
		modern: compileSchema(t, s, SchemaDialect),
		draft7: compileSchema(t, s, "http://json-schema.org/draft-07/schema#"),
	}
}

// validate checks every YAML document of data; a document YAML itself rejects fails too.
func (v validators) validate(t *testing.T, name string, data []byte) error {
	t.Helper()
	docs, err := yamlDocuments(data)
	if err != nil {
		return fmt.Errorf("not YAML: %w", err)
	}
	for _, doc := range docs {
		errModern, errDraft7 := v.modern.Validate(doc), v.draft7.Validate(doc)
		if (errModern == nil) != (errDraft7 == nil) {
			t.Errorf("%s: 2020-12 and draft-07 disagree: %v / %v", name, errModern, errDraft7)
		}
		if errModern != nil {
			return errModern
		}
	}
	return nil
}

// yamlDocuments decodes each document of a YAML stream as JSON values, as editors see them:
// dates stay text.
func yamlDocuments(data []byte) (docs []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var node yaml.Node
		if err := dec.Decode(&node); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return nil, err
		}
		datesAsText(&node)
		var doc any
		if err := node.Decode(&doc); err != nil {
			return nil, err
		}
		if doc == nil {
			continue
		}
		j, err := json.Marshal(jsonValue(doc))
		if err != nil {
			return nil, err
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			return nil, err
		}
		docs = append(docs, v)
	}
}

// datesAsText retags timestamps as text, which is what they are in JSON.
func datesAsText(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!timestamp" {
		n.Tag = "!!str"
	}
	for _, c := range n.Content {
		datesAsText(c)
	}
}

// jsonValue turns mappings with non-text keys into JSON objects.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonValue(e)
		}
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		for i, e := range x {
			x[i] = jsonValue(e)
		}
	}
	return v
}

// definitionFiles lists the YAML definition files under dir (test files aside).
func definitionFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		name := filepath.Base(p)
		if err == nil && !e.IsDir() && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) &&
			!strings.HasSuffix(strings.TrimSuffix(name, filepath.Ext(name)), "_test") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no definitions under %s: %v", dir, err)
	}
	return files
}

// TestSchemaAcceptsValidDefinitions validates every file the loader accepts: the valid folders,
// the shared base, the files that only warn, and the demo company's kpis/.
func TestSchemaAcceptsValidDefinitions(t *testing.T) {
	v := newValidators(t)
	var files []string
	for _, dir := range []string{"testdata/valid", "testdata/base", "testdata/warnings", "../../kpis"} {
		files = append(files, definitionFiles(t, dir)...)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.validate(t, file, data); err != nil {
			t.Errorf("%s: the loader accepts it, the schema does not:\n%v", file, err)
		}
	}
}

// TestSchemaRejectsInvalidDefinitions validates each file of testdata/invalid: it fails the
// schema unless beyondSchema says why a schema cannot see the problem, and then it passes.
func TestSchemaRejectsInvalidDefinitions(t *testing.T) {
	v := newValidators(t)
	files := definitionFiles(t, "testdata/invalid")
	seen := map[string]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		seen[name] = true
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		err = v.validate(t, file, data)
		reason, beyond := beyondSchema[name]
		switch {
		case beyond && err != nil:
			t.Errorf("%s: listed as beyond a schema (%s), but the schema rejects it: remove it from beyondSchema\n%v", name, reason, err)
		case !beyond && err == nil:
			t.Errorf("%s: the loader rejects it (%s), the schema accepts it: express the rule in schema_fields.go, or add the file to beyondSchema with the reason a schema cannot", name, strings.TrimPrefix(wantLine(t, file), file+":"))
		}
	}
	for name := range beyondSchema {
		if !seen[name] {
			t.Errorf("beyondSchema lists %s, which is not in testdata/invalid", name)
		}
	}
}

// TestSchemaDescribesEveryField walks the model's types as the decoder does: every field and
// entity type has a description, and fieldSpecs names no field that does not exist.
func TestSchemaDescribesEveryField(t *testing.T) {
	used := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(t0 reflect.Type) {
		for t0.Kind() == reflect.Pointer || t0.Kind() == reflect.Slice {
			t0 = t0.Elem()
		}
		if !isEntity(t0) || used[t0.Name()] {
			return
		}
		used[t0.Name()] = true
		if strings.TrimSpace(typeSpecs[t0.Name()].doc) == "" {
			t.Errorf("type %s has no description: add it to typeSpecs in schema_fields.go", t0.Name())
		}
		for _, f := range schemaFields(t0) {
			key := specKey(t0, f.key)
			used[key] = true
			if strings.TrimSpace(f.spec.doc) == "" {
				t.Errorf("field %q of %s has no description: add %q to fieldSpecs in schema_fields.go", f.key, t0.Name(), key)
			}
			walk(f.typ)
		}
	}
	walk(reflect.TypeFor[Model]())
	for _, key := range sortedSpecKeys() {
		if !used[key] {
			t.Errorf("fieldSpecs describes %s, which is not a field of the model", key)
		}
	}
	for name := range typeSpecs {
		if !used[name] {
			t.Errorf("typeSpecs describes %s, which is not a type of the model", name)
		}
	}
}

func sortedSpecKeys() []string {
	keys := make([]string, 0, len(fieldSpecs))
	for k := range fieldSpecs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestSchemaSectionsMatchLoader checks that the schema's top-level keys are the loader's sections.
func TestSchemaSectionsMatchLoader(t *testing.T) {
	var keys []string
	for _, f := range schemaFields(reflect.TypeFor[Model]()) {
		keys = append(keys, f.key)
	}
	if !reflect.DeepEqual(keys, sections) {
		t.Errorf("Model's yaml tags %v differ from the sections the loader reads %v", keys, sections)
	}
}

// TestCommittedSchemaIsFresh compares schema/kpic.schema.json with kpic schema's output;
// go test -run TestCommittedSchemaIsFresh -update rewrites it.
func TestCommittedSchemaIsFresh(t *testing.T) {
	got, err := SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(committedSchema), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(committedSchema, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(committedSchema)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/definition -run TestCommittedSchemaIsFresh -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("schema/kpic.schema.json is stale: run go test ./internal/definition -run TestCommittedSchemaIsFresh -update and commit it")
	}
}
