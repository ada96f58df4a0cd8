package dashboard

import (
	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
)

// Uids of the generated dashboards, shared with the alerts' dashboard_url annotations.
const (
	scorecardUID = definition.ScorecardUID
	detailUID    = definition.KPIDetailUID
)

// tagKPIC marks every generated dashboard, so dashboard links can list them all.
const tagKPIC = "kpic"

// newBoard starts a read-only dashboard with the datasource variable, the alert annotations
// and links to the other generated dashboards.
func newBoard(uid, title string, tags []string, alertsExpr string) *sdk.Board {
	b := &sdk.Board{
		UID:          uid,
		Title:        title,
		Tags:         append([]string{tagKPIC}, tags...),
		Timezone:     "browser",
		Editable:     false,
		GraphTooltip: 1,
		Time:         sdk.Time{From: "now-30d", To: "now"},
		Templating:   sdk.Templating{List: []sdk.TemplateVar{datasourceVar()}},
	}
	b.Annotations.List = []sdk.Annotation{builtinAnnotation(), alertAnnotation(alertsExpr)}
	b.Links = boardLinks()
	return b
}

// datasourceVar lets users pick the Prometheus that evaluates the kpic rules.
func datasourceVar() sdk.TemplateVar {
	one := int64(1)
	return sdk.TemplateVar{Name: "datasource", Label: "Prometheus", Type: "datasource", Query: "prometheus",
		Refresh: sdk.BoolInt{Value: &one}}
}

// builtinAnnotation keeps Grafana's own annotations and alerts on the time series panels.
func builtinAnnotation() sdk.Annotation {
	return sdk.Annotation{Name: "Annotations & Alerts", Type: "dashboard", Enable: true,
		IconColor: "rgba(0, 211, 255, 1)", Datasource: map[string]any{"type": "grafana", "uid": "-- Grafana --"}}
}

// alertAnnotation marks when the KPI alerts of this dashboard fired.
func alertAnnotation(expr string) sdk.Annotation {
	return sdk.Annotation{Name: "KPI alerts", Enable: true, IconColor: "red", Datasource: datasourceRef(),
		Expr: expr, Step: "60s", TitleFormat: "{{alertname}}", TextFormat: "{{kpi}} is {{severity}}",
		TagKeys: "kpi,severity"}
}

// boardLinks connect the generated dashboards: the scorecard, the KPI detail and the teams.
func boardLinks() []sdk.Link {
	return []sdk.Link{
		boardLink("Scorecard", "Every objective and KPI", "/d/"+scorecardUID),
		boardLink("KPI detail", "One KPI against its target", "/d/"+detailUID),
		tagLink("Objectives", "The scorecard of each objective", tagObjective),
		tagLink("Teams", "Dashboards of the teams owning KPIs and metrics", tagTeam),
	}
}

func boardLink(title, tooltip, u string) sdk.Link {
	f, t, icon := false, true, "dashboard"
	return sdk.Link{Title: title, Type: "link", URL: &u, Tooltip: &tooltip, Icon: &icon,
		AsDropdown: &f, TargetBlank: &f, KeepTime: &t, IncludeVars: true, Tags: []string{}}
}

// tagLink lists the generated dashboards tagged tag in a dropdown.
func tagLink(title, tip, tag string) sdk.Link {
	f, t, icon := false, true, "external link"
	return sdk.Link{Title: title, Type: "dashboards", Tags: []string{tagKPIC, tag}, Tooltip: &tip,
		Icon: &icon, AsDropdown: &t, TargetBlank: &f, KeepTime: &t, IncludeVars: true}
}

// tagTeam marks the team dashboards.
const tagTeam = "team"
