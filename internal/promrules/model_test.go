package promrules

import (
	"strconv"
	"time"

	"github.com/prometheus/common/model"

	"github.com/kpic/kpic/internal/definition"
)

// The test objective runs for two days from day 1 after the Unix epoch, since promtool test
// rules evaluates from time 0: the period starts at 1d and ends at 3d, its middle is 2d.
const (
	periodStart = 24 * time.Hour
	periodEnd   = 3 * 24 * time.Hour
)

// testModel is a small company with one KPI of every kind, both directions, a ramp, a
// breakdown and a KPI without a critical bound, defaulted the way definition.Load would.
func testModel() *definition.Model {
	m := &definition.Model{
		Settings: definition.Settings{
			Namespace: "business",
			Grafana:   definition.Grafana{URL: "https://grafana.example.com/"},
			Rules: definition.RulesSettings{Interval: dur(time.Hour), ForecastWindow: dur(3 * time.Hour),
				Labels: map[string]string{"tenant": "acme"}},
		},
		Teams: []*definition.Team{{Name: "growth"}, {Name: "support"}},
		Objectives: []*definition.Objective{{Name: "grow", Title: "Grow", Owner: "growth",
			Period: definition.Period{Start: day(periodStart), End: day(periodEnd - 24*time.Hour)}}},
		Metrics: []*definition.Metric{
			{Name: "churned", Source: "db", Query: "SELECT 1 AS value"},
			{Name: "customers", Source: "db", Query: "SELECT 1 AS value"},
			{Name: "first_response_seconds", Source: "db", Query: "SELECT 1 AS value", Labels: []string{"priority"}},
			{Name: "orders", Source: "db", Query: "SELECT 1 AS value", Labels: []string{"channel", "country"}},
			{Name: "sessions", Source: "db", Query: "SELECT 1 AS value", Labels: []string{"channel", "country"}},
			{Name: "signups", Expr: "sum(web_signups_total)"},
		},
	}
	m.KPIs = []*definition.KPI{
		kpi("revenue_dollars", "Revenue", "dollars", definition.KindQuery, higher(ramp("100", "200")), "80"),
		kpi("churn_ratio", "Churn", "ratio", definition.KindRatio, lower(fixed("0.05")), "0.08"),
		kpi("response_seconds", "First response", "seconds", definition.KindMetric, lower(fixed("3600")), ""),
		kpi("signup_growth_ratio", "Signup growth", "ratio", definition.KindGrowth, higher(fixed("0.1")), ""),
		kpi("customer_growth_ratio", "customer_growth_ratio", "ratio", definition.KindGrowth, higher(fixed("0.1")), ""),
		kpi("margin_ratio", "Margin {{ oops", "ratio", definition.KindExpr, higher(fixed("0.4")), "0.3"),
		kpi("conversion_ratio", "Conversion", "ratio", definition.KindRatio, higher(fixed("0.02")), "0.01"),
		kpi("churn_percent", "Churn in percent", "percent", definition.KindExpr, lower(fixed("5")), ""),
	}
	k := m.KPIs
	k[0].Source, k[0].Query, k[0].Alert.Runbook = "db", "SELECT plan, 1 AS value", "https://wiki.example.com/revenue"
	k[0].Labels = []string{"plan"}
	k[1].Ratio = &definition.Ratio{Numerator: "churned", Denominator: "customers"}
	k[2].Metric, k[2].Owner = "first_response_seconds", "support"
	k[3].Growth = &definition.Growth{Metric: "signups", Over: dur(24 * time.Hour)}
	k[4].Growth = &definition.Growth{Metric: "customers", Over: dur(24 * time.Hour)}
	k[5].Expr = "(sum(business_revenue_30d) - sum(business_cost_30d)) / sum(business_revenue_30d)"
	k[6].Ratio, k[6].By = &definition.Ratio{Numerator: "orders", Denominator: "sessions"}, []string{"channel"}
	k[7].Expr = `kpi:value{kpi="churn_ratio"} * 100`
	return m
}

// kpi is a KPI of the objective "grow" owned by growth, with the loader's alert defaults.
func kpi(name, title, unit string, kind definition.KPIKind, t definition.Target, critical string) *definition.KPI {
	k := &definition.KPI{Name: name, Title: title, Objective: "grow", Owner: "growth", Unit: unit, Kind: kind, Target: t,
		Alert: definition.Alert{For: dur(2 * time.Hour), AbsentFor: dur(2 * time.Hour)}}
	if critical != "" {
		c := number(critical)
		k.Critical = &c
	}
	return k
}

func higher(t definition.Target) definition.Target { t.Direction = definition.Higher; return t }
func lower(t definition.Target) definition.Target  { t.Direction = definition.Lower; return t }
func fixed(v string) definition.Target             { n := number(v); return definition.Target{Value: &n} }

func ramp(from, to string) definition.Target {
	f, t := number(from), number(to)
	return definition.Target{From: &f, To: &t}
}

// number is a definition.Number as the loader keeps it: the value and the text as written.
func number(s string) definition.Number {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return definition.Number{Value: v, Text: s}
}

func dur(d time.Duration) model.Duration { return model.Duration(d) }

func day(d time.Duration) definition.Date { return definition.Date{Time: time.Unix(0, 0).UTC().Add(d)} }
