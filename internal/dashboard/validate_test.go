package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	sdkdashboard "github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// panelTypes are the only panel types kpic emits: Grafana's current ones.
var panelTypes = keys("stat", "bargauge", "timeseries", "table", "text")

// TestDashboardsMatchGrafanaTypes decodes every dashboard strictly into the types Grafana
// publishes in grafana-foundation-sdk (generated from Grafana's own schemas): the dashboard,
// each panel's options and fieldConfig.defaults.custom by its type, each Prometheus target.
// Strict decoding fails on unknown or misspelt keys, wrong types and missing required fields;
// Validate then checks the constraints the schemas state (ranges, enums).
func TestDashboardsMatchGrafanaTypes(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	for _, m := range testModels(t) {
		files, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Path == ProviderPath {
				continue
			}
			if err := strictDashboard(f.Data); err != nil {
				t.Errorf("%s does not match Grafana's dashboard types:\n%v", f.Path, err)
			}
		}
	}
}

// strictDashboard decodes data strictly and validates it.
func strictDashboard(data []byte) error {
	// kpic writes the classic dashboard JSON that file provisioning loads; the SDK marks its
	// type deprecated in favour of the v2 schema, a different format.
	var d sdkdashboard.Dashboard //nolint:staticcheck // see above
	if err := orNil(d.UnmarshalJSONStrict(data)); err != nil {
		return err
	}
	return orNil(d.Validate())
}

// orNil turns the sdk's empty list of errors, which its strict decoding returns when all is
// well, into nil.
func orNil(err error) error {
	var list cog.BuildErrors
	if errors.As(err, &list) && len(list) == 0 {
		return nil
	}
	return err
}

// TestStrictDashboardCatchesMistakes makes sure the check above can fail: each mistake is one
// the strict types reject.
func TestStrictDashboardCatchesMistakes(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	files, err := Build(smallModel())
	if err != nil {
		t.Fatal(err)
	}
	var scorecard []byte
	for _, f := range files {
		if f.Path == ScorecardPath {
			scorecard = f.Data
		}
	}
	if err := strictDashboard(scorecard); err != nil {
		t.Fatalf("the scorecard itself does not pass: %v", err)
	}
	tests := map[string]func(object){
		"an unknown dashboard key":       func(d object) { d["refreshh"] = "1m" },
		"a panel option of another type": func(d object) { firstOf(d, "stat")["options"].(object)["graphMode"] = 3 },
		"an unknown stat option":         func(d object) { firstOf(d, "stat")["options"].(object)["colourMode"] = "value" },
		"an unknown target key":          func(d object) { list(firstOf(d, "stat")["targets"])[0]["exprr"] = "up" },
		"a panel without a type":         func(d object) { delete(firstOf(d, "stat"), "type") },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			var doc object
			if err := json.Unmarshal(scorecard, &doc); err != nil {
				t.Fatal(err)
			}
			mutate(doc)
			data, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := strictDashboard(data); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// firstOf returns the first panel of type typ, rows included.
func firstOf(doc object, typ string) object {
	for _, p := range panelsOf(doc) {
		if p["type"] == typ {
			return p
		}
	}
	panic(fmt.Sprintf("no %s panel", typ))
}

// TestPanelsAndUnitsAreGrafanas checks the panel types and that every unit kpic maps to is one
// of Grafana's unit ids.
func TestPanelsAndUnitsAreGrafanas(t *testing.T) {
	for path, doc := range generatedAll(t) {
		for _, p := range panelsOf(doc) {
			if typ, _ := p["type"].(string); typ != "row" && !panelTypes[typ] {
				t.Errorf("%s: panel %q has type %q, not a current Grafana panel", path, p["title"], typ)
			}
			fc, _ := p["fieldConfig"].(object)
			defaults, _ := fc["defaults"].(object)
			if unit, ok := defaults["unit"].(string); ok && !grafanaUnitIDs[unit] {
				t.Errorf("%s: panel %q: unit %q is not one of Grafana's units", path, p["title"], unit)
			}
		}
	}
	for kpic, grafana := range grafanaUnits {
		if !grafanaUnitIDs[grafana] {
			t.Errorf("unit %s maps to %q, not one of Grafana's units", kpic, grafana)
		}
	}
}

// grafanaUnitIDs are Grafana's ids of the units kpic may use, from the sdk's constants, so a
// misspelt id in grafanaUnits fails above.
var grafanaUnitIDs = keys(units.Short, units.PercentUnit, units.Percent, units.Seconds, units.Days,
	units.Dollars, units.Euro, units.Pounds, units.BytesIEC, units.NoUnit)
