package review

import (
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

func kpiFields(m *definition.Model) []entity {
	var out []entity
	for _, k := range m.KPIs {
		out = append(out, entity{k.Name, []field{
			{"title", k.Title}, {"objective", k.Objective}, {"owner", k.Owner},
			{"target", target(k.Target)}, {"critical", num(k.Critical)}, {"unit", k.Unit},
			{"computed by", kind(k)}, {"breakdown by", list(k.By)},
			{"contributors", list(k.Contributors)}, {"supporting metrics", list(k.Supporting)},
			{"alerts", alert(k.Alert)}, {"runbook", k.Alert.Runbook}, {"description", k.Description},
		}})
	}
	return out
}

func target(t definition.Target) string {
	word := "at least"
	if t.Direction == definition.Lower {
		word = "at most"
	}
	if t.IsRamp() {
		return word + " " + t.From.Text + " rising to " + t.To.Text
	}
	return word + " " + num(t.Value)
}

func kind(k *definition.KPI) string {
	switch k.Kind {
	case definition.KindQuery:
		return "SQL on " + k.Source + ": " + strings.TrimSpace(k.Query)
	case definition.KindMetric:
		return "metric " + k.Metric
	case definition.KindRatio:
		return "ratio " + k.Ratio.Numerator + " / " + k.Ratio.Denominator
	case definition.KindGrowth:
		return "growth of " + k.Growth.Metric + " over " + k.Growth.Over.String()
	default:
		return "PromQL: " + strings.TrimSpace(k.Expr)
	}
}

func alert(a definition.Alert) string {
	if a.Disabled {
		return "off"
	}
	return "after " + dur(a.For) + ", no data after " + dur(a.AbsentFor)
}

func metricFields(m *definition.Model) []entity {
	var out []entity
	for _, x := range m.Metrics {
		q := "SQL on " + x.Source + ": " + strings.TrimSpace(x.Query)
		if x.Expr != "" {
			q = "PromQL: " + strings.TrimSpace(x.Expr)
		}
		out = append(out, entity{x.Name, []field{
			{"help", x.Help}, {"owner", x.Owner}, {"unit", x.Unit}, {"computed by", q},
			{"labels", list(x.Labels)}, {"interval", dur(x.Interval)},
		}})
	}
	return out
}

func objectiveFields(m *definition.Model) []entity {
	var out []entity
	for _, o := range m.Objectives {
		period := o.Period.Start.Format("2006-01-02") + " to " + o.Period.End.Format("2006-01-02")
		out = append(out, entity{o.Name, []field{{"title", o.Title}, {"owner", o.Owner}, {"period", period}}})
	}
	return out
}

func teamFields(m *definition.Model) []entity {
	var out []entity
	for _, t := range m.Teams {
		out = append(out, entity{t.Name, []field{{"Slack channel", t.SlackChannel}, {"title", t.Title}}})
	}
	return out
}

// sourceFields never shows a DSN: only whether it changed.
func sourceFields(m *definition.Model) []entity {
	var out []entity
	for _, s := range m.Sources {
		conn := "dsn_file " + s.DSNFile
		if s.DSN != "" {
			conn = "dsn " + hash(string(s.DSN))
		}
		out = append(out, entity{s.Name, []field{
			{"driver", s.Driver}, {"connection", conn}, {"query timeout", dur(s.QueryTimeout)},
		}})
	}
	return out
}

func settingsFields(m *definition.Model) []entity {
	s := m.Settings
	return []entity{{"settings", []field{
		{"namespace", s.Namespace}, {"Grafana URL", s.Grafana.URL}, {"KPI link", s.KPIURL}, {"rule format", s.Rules.Format},
		{"rule interval", dur(s.Rules.Interval)}, {"Slack webhook file", s.Alertmanager.SlackAPIURLFile},
	}}}
}
