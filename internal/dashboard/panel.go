package dashboard

import (
	"net/url"

	"github.com/grafana-tools/sdk"
)

// object is a JSON object of a panel's current model, which grafana-tools/sdk does not type.
type object = map[string]any

// query is one PromQL target of a panel.
type query struct {
	RefID   string // default A, B, ... by position
	Expr    string
	Legend  string
	Instant bool
	Table   bool
}

// datasourceRef points panels and queries at the dashboard's `datasource` variable, so one
// dashboard works against any Prometheus the user picks.
func datasourceRef() object {
	return object{"type": "prometheus", "uid": "${datasource}"}
}

// datasource is datasourceRef for the panels and their queries, which all hold it.
var datasource = &constant{datasourceRef()}

// newPanel builds a current panel (stat, bargauge, timeseries, table) through the sdk's
// CustomPanel; description is required because every panel explains itself.
func newPanel(typ, title, description string, queries []query, custom object) *sdk.Panel {
	custom["targets"] = targets(queries)
	cp := sdk.CustomPanel(custom)
	return &sdk.Panel{
		CommonPanel: sdk.CommonPanel{OfType: sdk.CustomType, Type: typ, Title: title,
			Description: &description, Datasource: datasource},
		CustomPanel: &cp,
	}
}

// textPanel builds a markdown text panel; it queries nothing, so it has no datasource.
func textPanel(title, description, markdown string) *sdk.Panel {
	cp := sdk.CustomPanel{"options": object{"mode": "markdown", "content": markdown}}
	return &sdk.Panel{
		CommonPanel: sdk.CommonPanel{OfType: sdk.CustomType, Type: "text", Title: title, Description: &description},
		CustomPanel: &cp,
	}
}

// targets turns queries into Prometheus targets with refIds A, B, ... in order.
func targets(queries []query) []any {
	out := make([]any, 0, len(queries))
	for i, q := range queries {
		ref := q.RefID
		if ref == "" {
			ref = refID(i)
		}
		t := object{"datasource": datasource, "refId": ref, "expr": q.Expr,
			"editorMode": "code", "range": !q.Instant, "instant": q.Instant}
		if q.Legend != "" {
			t["legendFormat"] = q.Legend
		}
		if q.Table {
			t["format"] = "table"
		}
		out = append(out, t)
	}
	return out
}

// refID names the i-th query like Grafana does: A to Z, then AA, AB, ...
func refID(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return refID(i/26-1) + refID(i%26)
}

// defaults is a fieldConfig with the given defaults and no overrides.
func fieldConfig(defaults object, overrides ...any) object {
	if overrides == nil {
		overrides = []any{}
	}
	return object{"defaults": defaults, "overrides": overrides}
}

// reduceLast shows the last non-null value of every series.
func reduceLast() object {
	return object{"calcs": []any{"lastNotNull"}, "fields": "", "values": false}
}

// thresholds is an absolute threshold list starting with base colour; steps alternate value, colour.
func thresholds(base string, steps ...any) object {
	list := []any{object{"value": nil, "color": base}}
	for i := 0; i+1 < len(steps); i += 2 {
		list = append(list, object{"value": steps[i], "color": steps[i+1]})
	}
	return object{"mode": "absolute", "steps": list}
}

// link is a data or dashboard link in the shape Grafana's schema requires.
func link(title, tooltip, u string) object {
	return object{"title": title, "type": "link", "url": u, "icon": "dashboard", "tooltip": tooltip,
		"tags": []any{}, "asDropdown": false, "targetBlank": false, "includeVars": false, "keepTime": false}
}

// detailURL opens the KPI detail dashboard on kpi, keeping the time range and datasource.
func detailURL(kpi string) string {
	return "/d/" + detailUID + "/kpi?${__url_time_range}&${datasource:queryparam}&var-kpi=" + url.QueryEscape(kpi)
}

// override sets properties (id, value pairs) on the fields named name. It matches with byNames,
// whose options are an object as the dashboard schema requires (byName takes a bare string).
func override(name string, props ...any) object {
	list := []any{}
	for i := 0; i+1 < len(props); i += 2 {
		list = append(list, object{"id": props[i], "value": props[i+1]})
	}
	options := object{"mode": "include", "names": []any{name}}
	return object{"matcher": object{"id": "byNames", "options": options}, "properties": list}
}
