package dashboard

import (
	"fmt"
	"strings"

	"github.com/grafana-tools/sdk"

	"github.com/kpic/kpic/internal/definition"
)

// team shows what one department owns or tracks: the KPIs it owns or contributes to, and
// every metric it owns. A team with more than maxEmbeddedKPIs KPIs gets their status table
// without a tile each: the tiles are on the objectives' scorecards.
func team(m *model, t *definition.Team) *sdk.Board {
	title := t.Title
	if title == "" {
		title = t.Name
	}
	kpis := m.byTeam[t.Name]
	b := newBoard(TeamUID(t.Name), title+": KPIs and metrics", []string{tagTeam, t.Name}, m.alertsOf(kpis))
	var g grid
	if len(kpis) > 0 {
		g.row("KPIs")
		g.add(m.statusTable(kpis), gridWidth, min(3+len(kpis), 24))
		if len(kpis) <= maxEmbeddedKPIs {
			for _, k := range kpis {
				g.add(m.stat(k), 6, 5)
			}
		}
	}
	if metrics := m.metricsByTeam[t.Name]; len(metrics) > 0 {
		g.row("Metrics")
		for _, x := range metrics {
			g.add(metricPanel(m, x), 12, 8)
		}
	}
	if len(g.panels) == 0 {
		g.add(textPanel("Nothing yet", "This team owns no KPI or metric.", "No KPI or metric names **"+t.Name+"** as its owner yet."), gridWidth, 3)
	}
	b.Panels = g.panels
	return b
}

// alertsOf selects the firing alerts of the given KPIs, or matches nothing when there are none.
func (m *model) alertsOf(kpis []*definition.KPI) string {
	if len(kpis) == 0 {
		return m.sel("ALERTS", `alertstate="firing"`, `kpi="-"`)
	}
	return strings.Replace(m.kpisSel("ALERTS", kpis), "{", `{alertstate="firing",`, 1)
}

// statusTable lists the team's KPIs with their status in words on its colour.
func (m *model) statusTable(kpis []*definition.KPI) *sdk.Panel {
	expr := fmt.Sprintf("max by (kpi, title) (%s * on (kpi) group_left (title) %s)", m.kpisSel("kpi:status", kpis), m.sel("kpi:info"))
	open := link("Open the KPI", "Value against target, forecast and supporting metrics",
		"/d/"+detailUID+"/kpi?${__url_time_range}&${datasource:queryparam}&var-kpi=${__data.fields.kpi}")
	defaults := object{"mappings": []any{statusMapping()}, "color": object{"mode": "thresholds"},
		"thresholds": thresholds(colorGreen), "custom": object{"align": "auto", "inspect": false}}
	status := override("Status", "custom.cellOptions", object{"type": "color-background", "mode": "basic"})
	return newPanel("table", "KPI status", "Status of the KPIs this team owns or contributes to: "+kpiList(kpis)+".",
		[]query{{Expr: expr, Instant: true, Table: true}}, object{
			"options":         object{"frameIndex": 0, "showHeader": true, "cellHeight": "sm"},
			"fieldConfig":     fieldConfig(defaults, status, override("KPI", "links", []any{open}), hiddenColumn("kpi")),
			"transformations": []any{statusColumns()},
		})
}

// statusColumns keeps the KPI title and its status.
func statusColumns() object {
	return object{"id": "organize", "options": object{
		"includeByName": object{"title": true, "Value": true, "kpi": true},
		"indexByName":   object{"title": 0, "Value": 1, "kpi": 2},
		"renameByName":  object{"title": "KPI", "Value": "Status"},
	}}
}

// metricPanel draws one metric over time in its unit, a series per label set.
func metricPanel(m *model, x *definition.Metric) *sdk.Panel {
	expr, _ := m.SeriesExpr(x.Name)
	legend := x.Name
	for _, l := range x.Labels {
		legend += " {{" + l + "}}"
	}
	defaults := object{"unit": grafanaUnit(x.Unit), "custom": metricLines}
	return newPanel("timeseries", x.Name, metricDescription(m.Model, x), []query{{Expr: expr, Legend: legend}},
		object{"options": metricOptions, "fieldConfig": fieldConfig(defaults)})
}

// The options and line style every metric panel shares.
var (
	metricOptions = &constant{timeseriesOptions()}
	metricLines   = &constant{object{"lineWidth": 1, "fillOpacity": 10, "showPoints": "never"}}
)
