package main

import (
	"encoding/json"
	"os"
	"testing"
)

// TestSchemaPrintsTheCommittedSchema checks that kpic schema prints JSON equal to the committed
// schema/kpic.schema.json, the file editors and the README's modeline point at.
func TestSchemaPrintsTheCommittedSchema(t *testing.T) {
	code, stdout, stderr := kpic(t, "schema")
	if code != 0 {
		t.Fatalf("kpic schema exited %d: %s", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("kpic schema printed no JSON: %v", err)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema is %v", doc["$schema"])
	}
	committed, err := os.ReadFile("../../schema/kpic.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != stdout {
		t.Errorf("schema/kpic.schema.json differs from kpic schema; run go run ./cmd/kpic schema > schema/kpic.schema.json")
	}
}
