package dashboard

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/definition/definitiontest"
)

// generated builds m and decodes every dashboard as plain JSON, keyed by path; the tests
// never read dashboards back through sdk types.
func generated(t *testing.T, m *definition.Model) map[string]object {
	t.Helper()
	files, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]object{}
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".json") {
			continue
		}
		var doc object
		if err := json.Unmarshal(f.Data, &doc); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		out[f.Path] = doc
	}
	return out
}

// testModels are the small fixture and a generated model with more KPIs than the detail
// dashboard embeds per-KPI data for.
func testModels(t *testing.T) []*definition.Model {
	t.Helper()
	large, diags := definition.LoadFS(definitiontest.FS(maxEmbeddedKPIs+10), "kpis")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	large.Settings.Rules.Labels = map[string]string{"project": "bench", "region": "eu"}
	return []*definition.Model{smallModel(), large}
}

// generatedAll decodes the dashboards of every test model, keyed by model and path.
func generatedAll(t *testing.T) map[string]object {
	t.Helper()
	out := map[string]object{}
	for i, m := range testModels(t) {
		for path, doc := range generated(t, m) {
			out[fmt.Sprintf("model %d: %s", i, path)] = doc
		}
	}
	return out
}

// panelsOf lists a dashboard's panels, those nested in rows included.
func panelsOf(doc object) []object {
	var out []object
	for _, p := range list(doc["panels"]) {
		out = append(out, p)
		out = append(out, list(p["panels"])...)
	}
	return out
}

// exprsOf lists the PromQL of a dashboard's targets, annotations and query variables (the
// selector of label_values), with where it comes from.
func exprsOf(doc object) map[string]string {
	out := map[string]string{}
	for _, p := range panelsOf(doc) {
		for _, tg := range list(p["targets"]) {
			out[fmt.Sprintf("panel %v %q/%s", p["id"], p["title"], tg["refId"])] = tg["expr"].(string)
		}
	}
	templating, _ := doc["templating"].(object)
	for _, v := range list(templating["list"]) {
		if q, ok := v["query"].(string); ok && v["type"] == "query" {
			inner := strings.TrimSuffix(strings.TrimPrefix(q, "label_values("), ")")
			out["variable "+v["name"].(string)] = inner[:strings.LastIndex(inner, ",")]
		}
	}
	annotations, _ := doc["annotations"].(object)
	for _, a := range list(annotations["list"]) {
		if e, ok := a["expr"].(string); ok {
			out["annotation "+a["name"].(string)] = e
		}
	}
	return out
}

// linkURLs lists the urls of a dashboard's links and of its panels' data links, those of
// field overrides included.
func linkURLs(doc object) []string {
	var out []string
	for _, l := range list(doc["links"]) {
		if u, ok := l["url"].(string); ok {
			out = append(out, u)
		}
	}
	for _, p := range panelsOf(doc) {
		fc, _ := p["fieldConfig"].(object)
		defaults, _ := fc["defaults"].(object)
		for _, l := range list(defaults["links"]) {
			out = append(out, l["url"].(string))
		}
		for _, o := range list(fc["overrides"]) {
			for _, prop := range list(o["properties"]) {
				if prop["id"] == "links" {
					for _, l := range list(prop["value"]) {
						out = append(out, l["url"].(string))
					}
				}
			}
		}
	}
	return out
}
