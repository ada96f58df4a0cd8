package dashboard

import (
	"fmt"
	"regexp"

	"github.com/grafana-tools/sdk"
)

// scorecard is the overview: how many objectives and KPIs are on target, a table of the
// objectives (status, share of KPIs on target) linking to each objective's scorecard, and a
// table of every KPI linking to its detail. Its queries read the kpi:* and objective:* series
// of all KPIs at once, so its size and query count stay the same however many KPIs there are;
// only the objectives' titles grow with the model.
func scorecard(m *model) *sdk.Board {
	b := newBoard(scorecardUID, "KPI scorecard", []string{"scorecard"}, m.sel("ALERTS", `alertstate="firing"`, `kpi!=""`))
	var g grid
	g.add(m.shareStat("Objectives on target", "Share of the objectives whose KPIs all meet today's target (objective:status is green).",
		"objective:status"), 6, 4)
	for _, s := range []struct {
		title, desc, color string
		status             int
	}{
		{"KPIs on target", "KPIs meeting today's target (kpi:status green).", colorGreen, 0},
		{"KPIs off target", "KPIs between today's target and the critical bound (kpi:status amber).", colorAmber, 1},
		{"KPIs critical", "KPIs beyond the critical bound (kpi:status red).", colorRed, 2},
	} {
		g.add(m.countStat(s.title, s.desc, s.color, s.status), 6, 4)
	}
	g.add(m.objectivesTable(), gridWidth, min(3+len(m.Objectives), 16))
	g.add(m.kpisTable(), gridWidth, min(3+len(m.KPIs), 24))
	b.Panels = g.panels
	return b
}

// shareStat shows the share of series with status 0 among all series of a status series.
func (m *model) shareStat(title, desc, series string) *sdk.Panel {
	all := m.sel(series)
	defaults := object{"unit": "percentunit", "decimals": 0, "color": object{"mode": "thresholds"},
		"thresholds": thresholds(colorAmber, 1, colorGreen), "noValue": "No data"}
	return newPanel("stat", title, desc,
		[]query{{Expr: fmt.Sprintf("(count(%s == 0) or vector(0)) / count(%s)", all, all), Legend: title, Instant: true}},
		object{"options": statOptions("none", "background", false, "standard"), "fieldConfig": fieldConfig(defaults)})
}

// countStat counts the KPIs of one status, on that status's colour.
func (m *model) countStat(title, desc, color string, status int) *sdk.Panel {
	defaults := object{"unit": "short", "decimals": 0, "color": object{"mode": "fixed", "fixedColor": color}}
	expr := fmt.Sprintf("count(max by (kpi) (%s) == %d) or vector(0)", m.sel("kpi:status"), status)
	return newPanel("stat", title, desc, []query{{Expr: expr, Legend: title, Instant: true}},
		object{"options": statOptions("none", "background", false, "standard"), "fieldConfig": fieldConfig(defaults)})
}

// objectivesTable lists every objective with its status and share of KPIs on target, worst
// first; the objective's title opens its scorecard.
func (m *model) objectivesTable() *sdk.Panel {
	queries := []query{
		{Expr: m.dashboardLabel(m.sel("objective:status")), Instant: true, Table: true},
		{Expr: m.sel("objective:attainment:ratio"), Instant: true, Table: true},
	}
	open := link("Open the objective's scorecard", "Its KPIs against their targets",
		"/d/${__data.fields.dashboard}?${__url_time_range}&${datasource:queryparam}")
	return newPanel("table", "Objectives", "Every objective: objective:status (the worst status of its KPIs) and "+
		"objective:attainment:ratio (the share of its KPIs meeting today's target). Click an objective for its scorecard.",
		queries, object{
			"options":         object{"frameIndex": 0, "showHeader": true, "cellHeight": "sm", "sortBy": []any{object{"displayName": "Status", "desc": true}}},
			"fieldConfig":     fieldConfig(object{"custom": object{"align": "auto", "inspect": false}}, m.objectiveColumn(open), statusColumn(), shareColumn("KPIs on target"), hiddenColumn("dashboard")),
			"transformations": []any{joinBy("objective"), columns([]string{"objective", "Value #A", "Value #B", "dashboard"}, []string{"Objective", "Status", "KPIs on target", "dashboard"})},
		})
}

// kpisTable lists every KPI with its objective, owner, status and percent of target; the KPI's
// title opens its detail.
func (m *model) kpisTable() *sdk.Panel {
	status := fmt.Sprintf("max by (kpi, title, objective, owner) (%s * on (kpi) group_left (title, objective, owner) %s)",
		m.sel("kpi:status"), m.sel("kpi:info"))
	queries := []query{
		{Expr: status, Instant: true, Table: true},
		{Expr: "min by (kpi) (" + m.sel("kpi:attainment:ratio") + ")", Instant: true, Table: true},
	}
	open := link("Open the KPI", "Value against target, forecast and supporting metrics",
		"/d/"+detailUID+"/kpi?${__url_time_range}&${datasource:queryparam}&var-kpi=${__data.fields.kpi}")
	kpi := override("KPI", "links", []any{open})
	return newPanel("table", "KPIs", "Every KPI: kpi:status and kpi:attainment:ratio (the worst breakdown for KPIs that keep one), "+
		"with its objective and owner from kpi:info. Filter a column from its header; click a KPI for its detail.",
		queries, object{
			"options":         object{"frameIndex": 0, "showHeader": true, "cellHeight": "sm", "sortBy": []any{object{"displayName": "Status", "desc": true}}},
			"fieldConfig":     fieldConfig(object{"custom": object{"align": "auto", "inspect": false, "filterable": true}}, kpi, m.objectiveColumn(nil), statusColumn(), shareColumn("Percent of target"), hiddenColumn("kpi")),
			"transformations": []any{joinBy("kpi"), columns([]string{"title", "objective", "owner", "Value #A", "Value #B", "kpi"}, []string{"KPI", "Objective", "Owner", "Status", "Percent of target", "kpi"})},
		})
}

// plainUID matches the objective names whose scorecard uid is ObjectiveUIDPrefix and the name.
var plainUID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,25}$`)

// dashboardLabel adds the uid of each objective's scorecard to the objective:* series as the
// label dashboard: one label_replace for every plain uid, and one per objective whose uid is
// shortened (ObjectiveUID), so every row links to an existing dashboard.
func (m *model) dashboardLabel(expr string) string {
	plain := plainUID.String()
	expr = fmt.Sprintf(`label_replace(%s, "dashboard", "%s$1", "objective", "(%s)")`, expr, ObjectiveUIDPrefix, plain[1:len(plain)-1])
	for _, o := range m.Objectives {
		if uid := ObjectiveUID(o.Name); uid != ObjectiveUIDPrefix+o.Name || !plainUID.MatchString(o.Name) {
			expr = fmt.Sprintf(`label_replace(%s, "dashboard", %q, "objective", %q)`, expr, uid, regexp.QuoteMeta(o.Name))
		}
	}
	return expr
}

// objectiveColumn shows objective names as their titles, linking to l when it is not nil.
func (m *model) objectiveColumn(l object) object {
	titles := object{}
	for i, o := range m.Objectives {
		titles[o.Name] = object{"text": o.Title, "index": i}
	}
	props := []any{"mappings", []any{object{"type": "value", "options": titles}}}
	if l != nil {
		props = append(props, "links", []any{l})
	}
	return override("Objective", props...)
}

// statusColumn shows a status in words on its colour.
func statusColumn() object {
	return override("Status", "mappings", []any{statusMapping()}, "color", object{"mode": "thresholds"},
		"thresholds", thresholds(colorGreen), "custom.cellOptions", object{"type": "color-background", "mode": "basic"})
}

// shareColumn shows a ratio as a gauge, amber below 100% and green at or above.
func shareColumn(name string) object {
	return override(name, "unit", "percentunit", "decimals", 0, "min", 0, "max", 1,
		"color", object{"mode": "thresholds"}, "thresholds", thresholds(colorAmber, 1, colorGreen),
		"custom.cellOptions", object{"type": "gauge", "mode": "basic", "valueDisplayMode": "text"})
}

// hiddenColumn keeps a field for links without showing it.
func hiddenColumn(name string) object {
	return override(name, "custom.hidden", true)
}

// joinBy joins the frames of a table's queries on one label.
func joinBy(field string) object {
	return object{"id": "joinByField", "options": object{"byField": field, "mode": "outer"}}
}

// columns keeps, orders and renames a table's fields.
func columns(fields, names []string) object {
	include, index, rename := object{}, object{}, object{}
	for i, f := range fields {
		include[f] = true
		index[f] = i
		rename[f] = names[i]
	}
	return object{"id": "organize", "options": object{"includeByName": include, "indexByName": index, "renameByName": rename}}
}
