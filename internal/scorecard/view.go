package scorecard

import (
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/kpic/kpic/internal/dashboard"
	"github.com/kpic/kpic/internal/definition"
)

// kpiView is one KPI as the pages show it: every number already formatted in its unit.
type kpiView struct {
	Name, Title, Description string
	Objective                string
	Owner, OwnerTitle        string
	Contributors             []string
	Unit, Direction          string
	Status                   status
	Value, Target, Critical  string // "" when absent
	Forecast, FinalTarget    string
	Attainment               string
	AtRisk                   bool
	Breakdown                []seriesView // series of a KPI with by, worst first
	Worst                    string       // labels of the series shown, for a KPI with by
	Spark                    template.HTML
	Href                     string
	Runbook, Dashboard       string
	Firing                   int
	k                        *definition.KPI
	d                        *kpiData
}

// seriesView is one breakdown of a KPI with by.
type seriesView struct {
	Labels   string
	Status   status
	Value    string
	Forecast string
}

// objectiveView is an objective with its rollups and the KPIs shown under it.
type objectiveView struct {
	Name, Title, Description string
	Owner                    string
	Period                   string
	Elapsed                  string
	Status                   status
	Attainment               string
	KPIs                     []kpiView
	Total                    int // its KPIs before filtering
}

// views builds the view of every KPI of m from d.
func views(m *definition.Model, d *data, now time.Time) []kpiView {
	out := make([]kpiView, 0, len(m.KPIs))
	for _, k := range m.KPIs {
		out = append(out, newKPIView(m, k, d.kpis[k.Name], now))
	}
	return out
}

func newKPIView(m *definition.Model, k *definition.KPI, d *kpiData, now time.Time) kpiView {
	v := kpiView{Name: k.Name, Title: orName(k.Title, k.Name), Description: k.Description,
		Objective: k.Objective, Owner: k.Owner, OwnerTitle: teamTitle(m, k.Owner), Contributors: k.Contributors,
		Unit: k.Unit, Direction: string(k.Target.Direction), Status: noData,
		Href: "kpi/" + url.PathEscape(k.Name), Runbook: k.Alert.Runbook, Dashboard: grafanaKPI(m, k.Name), k: k, d: d}
	dec := decimals(k)
	v.FinalTarget = formatValue(k.Target.Final().Value, k.Unit, dec)
	if d == nil {
		return v
	}
	v.Target = optional(d.target, k.Unit, dec)
	v.Critical = optional(d.critical, k.Unit, dec)
	v.Firing = d.firing
	v.fillSeries(m, d.sorted(), now)
	return v
}

// fillSeries sets the KPI's status (the worst of its series) and shows the worst series' numbers.
func (v *kpiView) fillSeries(m *definition.Model, series []*seriesData, now time.Time) {
	dec := decimals(v.k)
	var worst *seriesData
	for _, s := range series {
		st := statusOf(s.status)
		if worst == nil || st > statusOf(worst.status) {
			worst = s
		}
		v.Status = worse(v.Status, st)
		if atRisk(m, v.k, s.forecast, now) {
			v.AtRisk = true
		}
		if len(v.k.By) > 0 {
			v.Breakdown = append(v.Breakdown, seriesView{Labels: labelText(s), Status: st,
				Value: optional(s.value, v.k.Unit, dec), Forecast: optional(s.forecast, v.k.Unit, dec)})
		}
	}
	if worst == nil {
		return
	}
	v.Value = optional(worst.value, v.k.Unit, dec)
	if len(v.k.By) > 0 {
		v.Worst = labelText(worst)
	}
	v.Forecast = optional(worst.forecast, v.k.Unit, dec)
	if worst.attainment != nil {
		v.Attainment = formatValue(*worst.attainment, "ratio", 0)
	}
	sortBreakdown(v.Breakdown)
}

// sortBreakdown puts the worst series first, keeping label order otherwise.
func sortBreakdown(b []seriesView) {
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && b[j].Status > b[j-1].Status; j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
}

func labelText(s *seriesData) string {
	if len(s.labels) == 0 {
		return "all"
	}
	return strings.TrimSuffix(strings.TrimPrefix(s.labels.String(), "{"), "}")
}

// atRisk mirrors KPIAtRisk without its `for`: while the period runs, the forecast misses the
// final target.
func atRisk(m *definition.Model, k *definition.KPI, forecast *float64, now time.Time) bool {
	o := m.Objective(k.Objective)
	if forecast == nil || o == nil || now.Before(o.Period.StartTime()) || !now.Before(o.Period.EndTime()) {
		return false
	}
	final := k.Target.Final().Value
	if k.Target.Direction == definition.Lower {
		return *forecast > final
	}
	return *forecast < final
}

func optional(v *float64, unit string, dec int) string {
	if v == nil {
		return ""
	}
	return formatValue(*v, unit, dec)
}

func decimals(k *definition.KPI) int {
	if k.Dashboard.Decimals != nil {
		return *k.Dashboard.Decimals
	}
	return -1
}

func orName(title, name string) string {
	if title != "" {
		return title
	}
	return name
}

func teamTitle(m *definition.Model, name string) string {
	if t := m.Team(name); t != nil && t.Title != "" {
		return t.Title
	}
	return name
}

// objectives groups KPI views under their objectives, with the rollups from d (or, when the
// rollup rules are not loaded, the same rollups computed from the KPIs' statuses).
func objectives(m *definition.Model, d *data, kpis []kpiView, now time.Time) []objectiveView {
	byObjective := map[string][]kpiView{}
	for _, k := range kpis {
		byObjective[k.Objective] = append(byObjective[k.Objective], k)
	}
	var out []objectiveView
	for _, o := range m.Objectives {
		ks := byObjective[o.Name]
		if len(ks) == 0 {
			continue
		}
		out = append(out, newObjectiveView(m, o, d, ks, now))
	}
	return out
}

func newObjectiveView(m *definition.Model, o *definition.Objective, d *data, ks []kpiView, now time.Time) objectiveView {
	v := objectiveView{Name: o.Name, Title: orName(o.Title, o.Name), Description: o.Description,
		Owner: teamTitle(m, o.Owner), Period: periodText(o.Period), Elapsed: elapsed(o.Period, now), KPIs: ks, Total: len(ks)}
	st, attain := rollup(ks)
	if s, ok := d.objStatus[o.Name]; ok {
		st = statusOf(&s)
	}
	if a, ok := d.objAttain[o.Name]; ok {
		attain = &a
	}
	if d.err != nil {
		st, attain = noData, nil
	}
	v.Status = st
	if attain != nil {
		v.Attainment = formatValue(*attain, "ratio", 0)
	}
	return v
}

// rollup is objective:status and objective:attainment:ratio computed from the KPIs: the worst
// status, and the share of KPIs with a status that are green.
func rollup(ks []kpiView) (status, *float64) {
	st, known, met := noData, 0, 0
	for _, k := range ks {
		if k.Status == noData {
			continue
		}
		st = worse(st, k.Status)
		known++
		if k.Status == green {
			met++
		}
	}
	if known == 0 {
		return st, nil
	}
	a := float64(met) / float64(known)
	return st, &a
}

func periodText(p definition.Period) string {
	return p.Start.Format("2 Jan 2006") + " – " + p.End.Format("2 Jan 2006")
}

// elapsed says how far through its period an objective is.
func elapsed(p definition.Period, now time.Time) string {
	start, end := p.StartTime(), p.EndTime()
	switch {
	case now.Before(start):
		return "starts in " + days(start.Sub(now))
	case !now.Before(end):
		return "ended"
	}
	return days(end.Sub(now)) + " left"
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	switch n {
	case 0:
		return "less than a day"
	case 1:
		return "1 day"
	}
	return group(itoa(n)) + " days"
}

// grafanaLinks are the dashboards a page links to when settings.grafana.url is set.
type grafanaLink struct{ Text, URL string }

func scorecardLinks(m *definition.Model) []grafanaLink {
	base := strings.TrimRight(m.Settings.Grafana.URL, "/")
	if base == "" {
		return nil
	}
	return []grafanaLink{{"Grafana scorecard", base + "/d/" + definition.ScorecardUID}}
}

func teamLink(m *definition.Model, team string) string {
	base := strings.TrimRight(m.Settings.Grafana.URL, "/")
	if base == "" {
		return ""
	}
	return base + "/d/" + dashboard.TeamUID(team)
}

// grafanaKPI links to the KPI's Grafana detail dashboard when settings.grafana.url is set (not
// settings.kpi_url, which may well point at this scorecard).
func grafanaKPI(m *definition.Model, kpi string) string {
	base := strings.TrimRight(m.Settings.Grafana.URL, "/")
	if base == "" {
		return ""
	}
	return base + "/d/" + definition.KPIDetailUID + "/kpi?var-kpi=" + url.QueryEscape(kpi)
}

// byLabels maps each KPI with a breakdown to its by labels.
func byLabels(m *definition.Model) map[string][]string {
	out := map[string][]string{}
	for _, k := range m.KPIs {
		if len(k.By) > 0 {
			out[k.Name] = k.By
		}
	}
	return out
}
