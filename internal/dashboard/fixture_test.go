package dashboard

import (
	"time"

	"github.com/kpic/kpic/internal/definition"
)

// num is a number as users write it.
func num(text string, v float64) *definition.Number { return &definition.Number{Value: v, Text: text} }

// day parses a date of the fixture.
func day(s string) definition.Date {
	t, _ := time.Parse("2006-01-02", s)
	return definition.Date{Time: t}
}

// smallModel is a small definition set covering every KPI kind, a ramp, both directions, a
// breakdown, a PromQL metric and a team that owns nothing, as definition.Load returns it (defaults
// applied).
func smallModel() *definition.Model {
	year := definition.Period{Start: day("2026-01-01"), End: day("2026-12-31")}
	return &definition.Model{
		Settings: definition.Settings{Namespace: "business", Grafana: definition.Grafana{URL: "https://grafana.example.com", Folder: "KPIs"},
			Rules: definition.RulesSettings{Labels: map[string]string{"tenant": "acme"}}},
		Teams: []*definition.Team{{Name: "growth", Title: "Growth"}, {Name: "support", Title: "Customer support"},
			{Name: "research"}},
		Objectives: []*definition.Objective{
			{Name: "grow_revenue", Title: "Grow recurring revenue 15% in 2026", Owner: "growth", Period: year},
			{Name: "happy_customers", Title: "Keep customers happy", Owner: "support", Period: year},
		},
		Metrics: []*definition.Metric{
			{Name: "active_subscriptions", Help: "Paying subscriptions, by plan.", Owner: "growth", Unit: "count",
				Source: "warehouse", Query: "SELECT plan, count(*) AS value FROM s GROUP BY plan", Labels: []string{"plan"}},
			{Name: "churned_customers_30d", Help: "Customers lost in 30 days.", Owner: "growth", Unit: "count",
				Source: "warehouse", Query: "SELECT 1 AS value"},
			{Name: "active_customers", Help: "Customers paying now.", Owner: "growth", Unit: "count",
				Source: "warehouse", Query: "SELECT 1 AS value"},
			{Name: "http_errors_ratio", Help: "Share of failing shop requests.", Owner: "support", Unit: "ratio",
				Expr: `sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))`},
		},
		KPIs: smallKPIs(),
	}
}

func smallKPIs() []*definition.KPI {
	return []*definition.KPI{
		{Name: "mrr_dollars", Title: "Monthly recurring revenue", Description: "Sum of active subscriptions.",
			Objective: "grow_revenue", Owner: "growth", Unit: "dollars", Kind: definition.KindQuery, Source: "warehouse",
			Query:    "SELECT sum(amount) AS value FROM s",
			Target:   definition.Target{Direction: definition.Higher, From: num("100000", 100000), To: num("115000", 115000)},
			Critical: num("90000", 90000), Supporting: []string{"active_subscriptions"},
			Alert: definition.Alert{Runbook: "https://wiki.example.com/mrr"}},
		{Name: "churn_ratio", Title: "Customer churn rate", Objective: "grow_revenue", Owner: "growth",
			Contributors: []string{"support"}, Unit: "ratio", Kind: definition.KindRatio,
			Ratio:  &definition.Ratio{Numerator: "churned_customers_30d", Denominator: "active_customers"},
			Target: definition.Target{Direction: definition.Lower, Value: num("0.05", 0.05)}, Critical: num("0.08", 0.08),
			Supporting: []string{"churned_customers_30d", "active_customers"}},
		{Name: "subscriptions_by_plan", Title: "Subscriptions by plan", Objective: "grow_revenue", Owner: "growth",
			Unit: "count", Kind: definition.KindMetric, Metric: "active_subscriptions", By: []string{"plan"},
			Target: definition.Target{Direction: definition.Higher, Value: num("500", 500)}},
		{Name: "shop_error_ratio", Title: "Shop error rate", Objective: "happy_customers", Owner: "support",
			Unit: "ratio", Kind: definition.KindExpr, Expr: "sum(business_http_errors_ratio)",
			Target:     definition.Target{Direction: definition.Lower, Value: num("0.01", 0.01)},
			Supporting: []string{"http_errors_ratio", "mrr_dollars"}, Dashboard: definition.KPIDashboard{Decimals: new(2)}},
	}
}
