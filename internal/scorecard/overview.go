package scorecard

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/kpic/kpic/internal/definition"
)

// sparkWindow and sparkStep are the overview's history: 30 days, 90 points.
const (
	sparkWindow = 30 * 24 * time.Hour
	sparkStep   = 8 * time.Hour
)

// filter is the overview's query: ?team=&status=&q=.
type filter struct {
	Team   string
	Status string // green, amber, red, nodata, atrisk or ""
	Q      string
}

func parseFilter(q url.Values) filter {
	return filter{Team: q.Get("team"), Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q"))}
}

// Active tells whether any filter is set.
func (f filter) Active() bool { return f.Team != "" || f.Status != "" || f.Q != "" }

// keep tells whether a KPI passes the filter: the team owns or tracks it, it has the status,
// and its name or title contains the search text (ignoring case).
func (f filter) keep(k kpiView) bool {
	if f.Team != "" && k.Owner != f.Team && !contains(k.Contributors, f.Team) {
		return false
	}
	switch f.Status {
	case "":
	case "atrisk":
		if !k.AtRisk {
			return false
		}
	default:
		if k.Status.Name() != f.Status {
			return false
		}
	}
	if f.Q != "" {
		q := strings.ToLower(f.Q)
		return strings.Contains(strings.ToLower(k.Name), q) || strings.Contains(strings.ToLower(k.Title), q)
	}
	return true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// overviewPage is the data of the overview template.
type overviewPage struct {
	page
	Filter     filter
	Teams      []option
	Statuses   []option
	Objectives []objectiveView
	Counts     counts
	Shown      int
}

type option struct {
	Value, Text string
	Selected    bool
}

// counts are the KPIs per status, for the summary line.
type counts struct {
	Total, Green, Amber, Red, NoData, AtRisk int
}

func (c *counts) add(k kpiView) {
	c.Total++
	switch k.Status {
	case green:
		c.Green++
	case amber:
		c.Amber++
	case red:
		c.Red++
	default:
		c.NoData++
	}
	if k.AtRisk {
		c.AtRisk++
	}
}

func (s *Scorecard) serveOverview(w http.ResponseWriter, r *http.Request) {
	m := s.model.Load()
	now := s.opts.Now()
	d := s.prom.fetch(r.Context(), fetchRequest{sel: selector{labels: m.Settings.Rules.Labels}, at: now, by: byLabels(m),
		history: v1.Range{Start: now.Add(-sparkWindow), End: now, Step: sparkStep}})
	p := overview(m, d, now, parseFilter(r.URL.Query()))
	p.page = s.newPage("KPI scorecard", "./", r, m, d)
	if d.err == nil && len(d.kpis) == 0 && len(m.KPIs) > 0 {
		p.Warning = "Prometheus has no kpi:* series of these definitions" + labelsText(m.Settings.Rules.Labels) +
			": load the rule files of kpic build (deploy/prometheus/) into it, or check settings.rules.labels."
	}
	s.render(w, r, "overview", code(d), p)
}

// overview builds the overview's content from what Prometheus said; sparklines are drawn for
// the KPIs the filter keeps only.
func overview(m *definition.Model, d *data, now time.Time, f filter) overviewPage {
	p := overviewPage{Filter: f}
	all := views(m, d, now)
	for i := range all {
		p.Counts.add(all[i])
		if f.keep(all[i]) {
			p.Shown++
			all[i].Spark = kpiSparkline(m, all[i], now.Add(-sparkWindow), now)
		}
	}
	p.Objectives = filterObjectives(objectives(m, d, all, now), f)
	p.Teams = teamOptions(m, f.Team)
	p.Statuses = statusOptions(f.Status)
	return p
}

// filterObjectives keeps the KPIs passing f, and the objectives left with any.
func filterObjectives(os []objectiveView, f filter) []objectiveView {
	if !f.Active() {
		return os
	}
	var out []objectiveView
	for _, o := range os {
		var ks []kpiView
		for _, k := range o.KPIs {
			if f.keep(k) {
				ks = append(ks, k)
			}
		}
		if len(ks) > 0 {
			o.KPIs = ks
			out = append(out, o)
		}
	}
	return out
}

func teamOptions(m *definition.Model, selected string) []option {
	out := []option{{Value: "", Text: "All teams", Selected: selected == ""}}
	for _, t := range m.Teams {
		out = append(out, option{Value: t.Name, Text: orName(t.Title, t.Name), Selected: t.Name == selected})
	}
	return out
}

func statusOptions(selected string) []option {
	out := []option{{Value: "", Text: "Any status", Selected: selected == ""}}
	for _, st := range statuses {
		out = append(out, option{Value: st.Name(), Text: st.Word(), Selected: st.Name() == selected})
	}
	return append(out, option{Value: "atrisk", Text: "At risk", Selected: selected == "atrisk"})
}

// refresh reads ?refresh=SECONDS (10 to 3600) for wall displays; 0 means no reload.
func refresh(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("refresh"))
	if err != nil || n <= 0 {
		return 0
	}
	return min(max(n, 10), 3600)
}

func itoa(n int) string { return strconv.Itoa(n) }

func labelsText(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	return " (" + selector{labels: labels}.of("") + ")"
}
