package definition

import (
	"net/url"
	"strings"
)

// GaugeName is the name kpic serve exports a metric or SQL-backed KPI under: <namespace>_<name>.
func (m *Model) GaugeName(name string) string { return m.Settings.Namespace + "_" + name }

// nameIndex maps names to metrics, KPIs and objectives.
type nameIndex struct {
	metrics    map[string]*Metric
	kpis       map[string]*KPI
	objectives map[string]*Objective
}

// buildIndex indexes the complete model's metrics, KPIs and objectives by name (the first of
// duplicates, like the scans it replaces): the rules look up each KPI's objective, and there
// are 2,000 objectives for 10,000 KPIs. The model must not change afterwards.
func (m *Model) buildIndex() {
	ix := &nameIndex{metrics: make(map[string]*Metric, len(m.Metrics)), kpis: make(map[string]*KPI, len(m.KPIs))}
	for _, x := range m.Metrics {
		if _, dup := ix.metrics[x.Name]; !dup {
			ix.metrics[x.Name] = x
		}
	}
	for _, k := range m.KPIs {
		if _, dup := ix.kpis[k.Name]; !dup {
			ix.kpis[k.Name] = k
		}
	}
	ix.objectives = make(map[string]*Objective, len(m.Objectives))
	for _, o := range m.Objectives {
		if _, dup := ix.objectives[o.Name]; !dup {
			ix.objectives[o.Name] = o
		}
	}
	m.names = ix
}

// Metric returns the metric named name, or nil.
func (m *Model) Metric(name string) *Metric {
	if m.names != nil {
		return m.names.metrics[name]
	}
	for _, x := range m.Metrics {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// KPI returns the KPI named name, or nil.
func (m *Model) KPI(name string) *KPI {
	if m.names != nil {
		return m.names.kpis[name]
	}
	for _, x := range m.KPIs {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Team returns the team named name, or nil.
func (m *Model) Team(name string) *Team {
	for _, x := range m.Teams {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Objective returns the objective named name, or nil.
func (m *Model) Objective(name string) *Objective {
	if m.names != nil {
		return m.names.objectives[name]
	}
	for _, x := range m.Objectives {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Source returns the source named name, or nil.
func (m *Model) Source(name string) *Source {
	for _, x := range m.Sources {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Exported lists the SQL-backed series kpic serve publishes: every SQL metric and every
// query-kind KPI, as Exports in definition order.
func (m *Model) Exported() []Export {
	var out []Export
	for _, x := range m.Metrics {
		if x.Query != "" {
			out = append(out, Export{Name: x.Name, Help: x.Help, Source: x.Source, Query: x.Query,
				Labels: x.Labels, Interval: x.Interval, Timeout: x.Timeout, SeriesLimit: x.SeriesLimit, History: x.History, Pos: x.Pos})
		}
	}
	for _, k := range m.KPIs {
		if k.Kind == KindQuery {
			help := k.Title
			if k.Description != "" {
				help = k.Description
			}
			out = append(out, Export{Name: k.Name, Help: help, Source: k.Source, Query: k.Query,
				Labels: k.Labels, Interval: k.Interval, Timeout: k.Timeout, SeriesLimit: k.SeriesLimit, History: k.History, Pos: k.Pos})
		}
	}
	return out
}

// Dashboard uids shared by the dashboard compiler and the links in alerts.
const (
	ScorecardUID  = "kpic-scorecard"
	KPIDetailUID  = "kpic-kpi"
	TeamUIDPrefix = "kpic-team-"
)

// KPIPlaceholder is what settings.kpi_url writes where the KPI's name goes.
const KPIPlaceholder = "{kpi}"

// DashboardURL is the page alerts link to for a KPI: settings.kpi_url with the name filled in,
// else the Grafana KPI detail dashboard (its `kpi` variable set), else "" (no link).
func (m *Model) DashboardURL(kpi string) string {
	if u := m.Settings.KPIURL; u != "" {
		return strings.ReplaceAll(u, KPIPlaceholder, url.PathEscape(kpi))
	}
	if m.Settings.Grafana.URL == "" {
		return ""
	}
	return strings.TrimRight(m.Settings.Grafana.URL, "/") + "/d/" + KPIDetailUID + "/kpi?var-kpi=" + url.QueryEscape(kpi)
}
