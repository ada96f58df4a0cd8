package definition

import "testing"

func seriesModel(labels map[string]string) *Model {
	m := &Model{Settings: Settings{Namespace: "business", Rules: RulesSettings{Labels: labels}},
		Metrics: []*Metric{
			{Name: "active_subscriptions", Query: "SELECT 1 AS value", Labels: []string{"plan"}},
			{Name: "signups", Expr: `sum(rate(business_active_subscriptions[5m])) + business_active_subscriptions + other{x="1"}`},
		},
		KPIs: []*KPI{
			{Name: "mrr", Kind: KindQuery, Query: "SELECT 1 AS value"},
			{Name: "churn", Kind: KindRatio},
		},
	}
	return m
}

func TestSeriesExprReadsOneProjectAndDeduplicatesReplicas(t *testing.T) {
	tenant := map[string]string{"tenant": "acme", "bu": "shop"}
	tests := []struct {
		name, series, offset string
		labels               map[string]string
		want                 string
	}{
		{"an SQL metric keeps its declared labels", "active_subscriptions", "", nil,
			`max by (plan) (business_active_subscriptions)`},
		{"an SQL metric keeps its declared labels and the rules labels, matched", "active_subscriptions", "", tenant,
			`max by (plan, bu, tenant) (business_active_subscriptions{bu="shop",tenant="acme"})`},
		{"a query KPI without labels reduces to one series", "mrr", "", nil, `max(business_mrr)`},
		{"an offset goes on the selector inside the dedup", "mrr", "30d", tenant,
			`max by (bu, tenant) (business_mrr{bu="shop",tenant="acme"} offset 30d)`},
		{"another KPI is its kpi:value of this project", "churn", "", tenant, `kpi:value{kpi="churn",bu="shop",tenant="acme"}`},
		{"a KPI offset is a plain offset", "churn", "1d", nil, `kpi:value{kpi="churn"} offset 1d`},
		{"a PromQL metric scopes the gauges it reads", "signups", "", map[string]string{"tenant": "acme"},
			`(sum(rate(business_active_subscriptions{tenant="acme"}[5m])) + max by (plan, tenant) (business_active_subscriptions{tenant="acme"}) + other{x="1"})`},
		{"a PromQL metric offset reads a subquery", "signups", "1d", nil,
			`last_over_time((sum(rate(business_active_subscriptions[5m])) + max by (plan) (business_active_subscriptions) + other{x="1"})[5m:1m] offset 1d)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := seriesModel(tt.labels).SeriesExprOffset(tt.series, tt.offset)
			if !ok || got != tt.want {
				t.Errorf("got %q, %v\nwant %q", got, ok, tt.want)
			}
		})
	}
	if _, ok := seriesModel(nil).SeriesExpr("nope"); ok {
		t.Error("an unknown name has a series")
	}
}

func TestScopeExprMatchesTheRulesLabels(t *testing.T) {
	m := seriesModel(map[string]string{"tenant": "acme"})
	tests := []struct{ name, expr, want string }{
		{"other series are left as written", `sum(up{job="x"})`, `sum(up{job="x"})`},
		{"kpi series match the rules labels", `kpi:value{kpi="mrr"} * 12`, `kpi:value{kpi="mrr",tenant="acme"} * 12`},
		{"a label the user matches is left to the user", `kpi:value{kpi="mrr",tenant=~".+"}`, `kpi:value{kpi="mrr",tenant=~".+"}`},
		{"objective series too, in subqueries", `max_over_time(objective:status[1d:1h])`, `max_over_time(objective:status{tenant="acme"}[1d:1h])`},
		{"an exported gauge in a subquery is deduplicated", `max_over_time(business_mrr[1d:1h])`,
			`max_over_time(max by (tenant) (business_mrr{tenant="acme"})[1d:1h])`},
		{"a name that is not a gauge of this project is not touched", `business_unknown + 1`, `business_unknown + 1`},
		{"an expression that does not parse is left for validation", `sum(business_mrr`, `sum(business_mrr`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.ScopeExpr(tt.expr); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestRuleSeriesQuotesValues(t *testing.T) {
	m := seriesModel(map[string]string{"tenant": `a"b\c`})
	if got, want := m.RuleSeries("kpi:status", "mrr"), `kpi:status{kpi="mrr",tenant="a\"b\\c"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, want := seriesModel(nil).RuleSeries("kpi:status", "mrr"), `kpi:status{kpi="mrr"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
