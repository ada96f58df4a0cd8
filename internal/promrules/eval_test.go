package promrules

import "testing"

// TestRulesMeanWhatTheySay evaluates the compiled rules of the test model with promtool on
// input series and checks the kpi:* series they record.
func TestRulesMeanWhatTheySay(t *testing.T) {
	revenue := func(v string) inputSeries { return constant("business_revenue_dollars", v) }
	churn := func(churned string) []inputSeries {
		return []inputSeries{constant("business_churned", churned), constant("business_customers", "1000")}
	}
	tests := []struct {
		name  string
		input []inputSeries
		want  []exprTest
	}{
		{"a query KPI sums its exported gauge into one series",
			[]inputSeries{constant(`business_revenue_dollars{plan="a"}`, "100"), constant(`business_revenue_dollars{plan="b"}`, "20")},
			[]exprTest{at("2d", "kpi:value", "revenue_dollars", kpiSample("kpi:value", "revenue_dollars", 120))}},
		{"a ramp target is at from before and at the start of the period",
			[]inputSeries{revenue("100")},
			[]exprTest{at("0", "kpi:target", "revenue_dollars", kpiSample("kpi:target", "revenue_dollars", 100)),
				at("1d", "kpi:target", "revenue_dollars", kpiSample("kpi:target", "revenue_dollars", 100))}},
		{"a ramp target is halfway in the middle of the period",
			[]inputSeries{revenue("100")},
			[]exprTest{at("2d", "kpi:target", "revenue_dollars", kpiSample("kpi:target", "revenue_dollars", 150)),
				at("1d12h", "kpi:target", "revenue_dollars", kpiSample("kpi:target", "revenue_dollars", 125))}},
		{"a ramp target reaches to at the end of the period and stays there",
			[]inputSeries{revenue("100")},
			[]exprTest{at("3d", "kpi:target", "revenue_dollars", kpiSample("kpi:target", "revenue_dollars", 200)),
				at("4d", "kpi:target", "revenue_dollars", kpiSample("kpi:target", "revenue_dollars", 200))}},
		{"a fixed target and the critical bound are constant",
			churn("25"),
			[]exprTest{at("0", "kpi:target", "churn_ratio", kpiSample("kpi:target", "churn_ratio", 0.05)),
				at("4d", "kpi:target", "churn_ratio", kpiSample("kpi:target", "churn_ratio", 0.05)),
				at("2d", "kpi:critical", "churn_ratio", kpiSample("kpi:critical", "churn_ratio", 0.08))}},
		{"a higher-is-better KPI at or above today's target is green",
			[]inputSeries{revenue("225")},
			[]exprTest{at("2d", "kpi:status", "revenue_dollars", kpiSample("kpi:status", "revenue_dollars", 0)),
				at("2d", "kpi:attainment:ratio", "revenue_dollars", kpiSample("kpi:attainment:ratio", "revenue_dollars", 1.5))}},
		{"a higher-is-better KPI below target but above critical is amber",
			[]inputSeries{revenue("120")},
			[]exprTest{at("2d", "kpi:status", "revenue_dollars", kpiSample("kpi:status", "revenue_dollars", 1)),
				at("2d", "kpi:attainment:ratio", "revenue_dollars", kpiSample("kpi:attainment:ratio", "revenue_dollars", 0.8))}},
		{"a higher-is-better KPI below critical is red",
			[]inputSeries{revenue("60")},
			[]exprTest{at("2d", "kpi:status", "revenue_dollars", kpiSample("kpi:status", "revenue_dollars", 2)),
				at("2d", "kpi:attainment:ratio", "revenue_dollars", kpiSample("kpi:attainment:ratio", "revenue_dollars", 0.4))}},
		{"a lower-is-better ratio KPI under target is green",
			churn("25"),
			[]exprTest{at("2d", "kpi:value", "churn_ratio", kpiSample("kpi:value", "churn_ratio", 0.025)),
				at("2d", "kpi:status", "churn_ratio", kpiSample("kpi:status", "churn_ratio", 0)),
				at("2d", "kpi:attainment:ratio", "churn_ratio", kpiSample("kpi:attainment:ratio", "churn_ratio", 2))}},
		{"a lower-is-better KPI above target but under critical is amber",
			churn("62.5"),
			[]exprTest{at("2d", "kpi:status", "churn_ratio", kpiSample("kpi:status", "churn_ratio", 1)),
				at("2d", "kpi:attainment:ratio", "churn_ratio", kpiSample("kpi:attainment:ratio", "churn_ratio", 0.8))}},
		{"a lower-is-better KPI above critical is red",
			churn("100"),
			[]exprTest{at("2d", "kpi:status", "churn_ratio", kpiSample("kpi:status", "churn_ratio", 2)),
				at("2d", "kpi:attainment:ratio", "churn_ratio", kpiSample("kpi:attainment:ratio", "churn_ratio", 0.5))}},
		{"a metric KPI sums the metric and without a critical bound is at most amber",
			[]inputSeries{constant(`business_first_response_seconds{priority="high"}`, "5000"), constant(`business_first_response_seconds{priority="low"}`, "5000")},
			[]exprTest{at("2d", "kpi:value", "response_seconds", kpiSample("kpi:value", "response_seconds", 10000)),
				at("2d", "kpi:status", "response_seconds", kpiSample("kpi:status", "response_seconds", 1)),
				at("2d", "kpi:attainment:ratio", "response_seconds", kpiSample("kpi:attainment:ratio", "response_seconds", 0.36))}},
		{"a ratio KPI with a zero denominator has no value rather than +Inf",
			[]inputSeries{constant("business_churned", "5"), constant("business_customers", "0")},
			[]exprTest{at("2d", "kpi:value", "churn_ratio"), at("2d", "kpi:status", "churn_ratio")}},
		{"a ratio by channel divides the sums of each channel, never averaging ratios",
			[]inputSeries{
				constant(`business_orders{channel="web", country="a"}`, "1"), constant(`business_sessions{channel="web", country="a"}`, "10"),
				constant(`business_orders{channel="web", country="b"}`, "29"), constant(`business_sessions{channel="web", country="b"}`, "90"),
				constant(`business_orders{channel="shop", country="a"}`, "1"), constant(`business_sessions{channel="shop", country="a"}`, "200"),
			},
			[]exprTest{
				at("2d", "kpi:value", "conversion_ratio", kpiSample("kpi:value", "conversion_ratio", 0.3, `channel="web"`),
					kpiSample("kpi:value", "conversion_ratio", 0.005, `channel="shop"`)),
				at("2d", "kpi:status", "conversion_ratio", kpiSample("kpi:status", "conversion_ratio", 0, `channel="web"`),
					kpiSample("kpi:status", "conversion_ratio", 2, `channel="shop"`)),
				at("2d", "kpi:attainment:ratio", "conversion_ratio", kpiSample("kpi:attainment:ratio", "conversion_ratio", 15, `channel="web"`),
					kpiSample("kpi:attainment:ratio", "conversion_ratio", 0.25, `channel="shop"`))}},
		{"a growth KPI over a PromQL metric is the relative change over growth.over",
			[]inputSeries{{Series: "web_signups_total", Values: "100x23 150x72"}},
			[]exprTest{at("1d12h", "kpi:value", "signup_growth_ratio", kpiSample("kpi:value", "signup_growth_ratio", 0.5)),
				at("3d", "kpi:value", "signup_growth_ratio", kpiSample("kpi:value", "signup_growth_ratio", 0))}},
		{"a growth KPI over an exported gauge is the relative change over growth.over",
			[]inputSeries{{Series: "business_customers", Values: "100x23 150x72"}},
			[]exprTest{at("1d12h", "kpi:value", "customer_growth_ratio", kpiSample("kpi:value", "customer_growth_ratio", 0.5)),
				at("3d", "kpi:status", "customer_growth_ratio", kpiSample("kpi:status", "customer_growth_ratio", 1))}},
		{"an expr KPI evaluates the user's PromQL",
			[]inputSeries{constant("business_revenue_30d", "1000"), constant("business_cost_30d", "600")},
			[]exprTest{at("2d", "kpi:value", "margin_ratio", kpiSample("kpi:value", "margin_ratio", 0.4)),
				at("2d", "kpi:status", "margin_ratio", kpiSample("kpi:status", "margin_ratio", 0))}},
		{"the forecast extrapolates the recent trend to the end of the period",
			[]inputSeries{{Series: "business_revenue_dollars", Values: "0+1x96"}},
			[]exprTest{at("2d", "kpi:forecast", "revenue_dollars", kpiSample("kpi:forecast", "revenue_dollars", 72))}},
		{"after the period the forecast is the value itself",
			[]inputSeries{{Series: "business_revenue_dollars", Values: "0+1x96"}},
			[]exprTest{at("4d", "kpi:forecast", "revenue_dollars", kpiSample("kpi:forecast", "revenue_dollars", 96))}},
		{"a KPI built on another KPI reads its value of the same evaluation, never the previous one",
			[]inputSeries{{Series: "business_churned", Values: "0+1x96"}, constant("business_customers", "1000")},
			[]exprTest{at("1d", "kpi:value", "churn_percent", kpiSample("kpi:value", "churn_percent", 2.4)),
				at("1d1h", "kpi:value", "churn_percent", kpiSample("kpi:value", "churn_percent", 2.5)),
				at("2d", "kpi:status", "churn_percent", kpiSample("kpi:status", "churn_percent", 0))}},
		{"objective:status is the worst status of the objective's KPIs, objective:attainment:ratio the share on target",
			[]inputSeries{revenue("225"), constant(`business_first_response_seconds{priority="high"}`, "10000")},
			[]exprTest{objective("2d", "objective:status", 1), objective("2d", "objective:attainment:ratio", 0.5)}},
		{"one red KPI makes its objective red, and a breakdown counts as met only when all of it is",
			[]inputSeries{revenue("60"),
				constant(`business_orders{channel="web", country="a"}`, "3"), constant(`business_sessions{channel="web", country="a"}`, "10"),
				constant(`business_orders{channel="shop", country="a"}`, "1"), constant(`business_sessions{channel="shop", country="a"}`, "200")},
			[]exprTest{objective("2d", "objective:status", 2), objective("2d", "objective:attainment:ratio", 0)}},
		{"an objective whose KPIs all meet their target attains 1",
			[]inputSeries{revenue("225"), constant(`business_first_response_seconds{priority="high"}`, "60")},
			[]exprTest{objective("2d", "objective:status", 0), objective("2d", "objective:attainment:ratio", 1)}},
		{"kpi:info describes the KPI in its labels",
			[]inputSeries{revenue("1")},
			[]exprTest{at("2d", "kpi:info", "revenue_dollars", kpiSample("kpi:info", "revenue_dollars", 1,
				`title="Revenue"`, `objective="grow"`, `owner="growth"`, `unit="dollars"`, `direction="higher"`))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runPromtoolTest(t, unitTest{InputSeries: tt.input, ExprTests: tt.want})
		})
	}
}
