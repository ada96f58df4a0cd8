package dashboard

import (
	"bytes"
	"testing"

	"github.com/kpic/kpic/internal/output"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// panelTypes are the only panel types kpic emits: Grafana's current ones.
var panelTypes = keys("stat", "bargauge", "timeseries", "table", "text")

// TestDashboardsMatchGrafanaSchemas validates each dashboard, each panel's options and
// fieldConfig.defaults.custom against its panel type, each target against the Prometheus
// query schema and each unit against Grafana's unit list.
func TestDashboardsMatchGrafanaSchemas(t *testing.T) {
	s := newSchemas(t)
	var files []output.File
	for _, m := range testModels(t) {
		fs, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	for _, f := range files {
		if f.Path == ProviderPath {
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(f.Data))
		if err != nil {
			t.Fatal(err)
		}
		s.validate(f.Path, doc, "dashboard.jsonschema.json", "")
		for _, p := range panelsOf(doc.(object)) {
			validatePanel(t, s, f.Path, p)
		}
	}
}

// validatePanel checks one panel against its type's schemas.
func validatePanel(t *testing.T, s *schemas, path string, p object) {
	t.Helper()
	typ, _ := p["type"].(string)
	if typ == "row" {
		return
	}
	what := path + " panel " + p["title"].(string)
	if !panelTypes[typ] {
		t.Errorf("%s: panel type %q is not a current Grafana panel", what, typ)
		return
	}
	s.validate(what+" options", p["options"], typ+".jsonschema.json", "Options")
	fc, _ := p["fieldConfig"].(object)
	defaults, _ := fc["defaults"].(object)
	if custom, ok := defaults["custom"]; ok {
		if !s.has(typ+".jsonschema.json", "FieldConfig") {
			t.Errorf("%s: %s panels take no fieldConfig.defaults.custom", what, typ)
		} else {
			s.validate(what+" fieldConfig.defaults.custom", custom, typ+".jsonschema.json", "FieldConfig")
		}
	}
	if unit, ok := defaults["unit"].(string); ok && !s.units()[unit] {
		t.Errorf("%s: unit %q is not one of Grafana's units", what, unit)
	}
	for _, tg := range list(p["targets"]) {
		s.validate(what+" target "+tg["refId"].(string), tg, "prometheus.jsonschema.json", "")
	}
}
