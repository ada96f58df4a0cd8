package promrules

import "testing"

// revenueAlert is the label set of an alert on the test model's revenue KPI.
func revenueAlert(severity string) map[string]string {
	return map[string]string{"kpi": "revenue_dollars", "objective": "grow", "team": "growth", "severity": severity, "tenant": "acme"}
}

// revenueLinks are the runbook and dashboard links of the revenue KPI's alerts.
func revenueLinks(notes map[string]string) map[string]string {
	notes["runbook_url"] = "https://wiki.example.com/revenue"
	notes["dashboard_url"] = "https://grafana.example.com/d/kpic-kpi/kpi?var-kpi=revenue_dollars"
	return notes
}

// TestAlertsFireAndStayQuiet evaluates the compiled alerts with promtool on input series: each
// alert fires when it should, with its labels and annotations, and stays quiet otherwise.
func TestAlertsFireAndStayQuiet(t *testing.T) {
	revenue := func(v string) []inputSeries { return []inputSeries{constant("business_revenue_dollars", v)} }
	tests := []struct {
		name   string
		input  []inputSeries
		exprs  []exprTest
		alerts []alertTest
	}{
		{"KPIOffTarget fires with the value against today's target in dollars", revenue("120"), nil,
			[]alertTest{{EvalTime: "2d", Alertname: AlertOffTarget, ExpAlerts: []expAlert{{ExpLabels: revenueAlert("warning"),
				ExpAnnotations: revenueLinks(map[string]string{"summary": "Revenue is off target",
					"description": "Revenue is $120, below today's target of $150."})}}}}},
		{"KPIOffTarget waits for alert.for before firing",
			[]inputSeries{{Series: "business_revenue_dollars", Values: "225x47 120x48"}},
			[]exprTest{quiet("2d1h", AlertOffTarget, "revenue_dollars"), firing("2d2h", AlertOffTarget, "revenue_dollars")}, nil},
		{"KPIOffTarget stays quiet on target", revenue("225"),
			[]exprTest{quiet("2d", AlertOffTarget, "revenue_dollars"), quiet("2d", AlertCritical, "revenue_dollars")}, nil},
		{"KPICritical fires beyond the critical bound of a lower-is-better ratio, in percent",
			[]inputSeries{constant("business_churned", "100"), constant("business_customers", "1000")},
			[]exprTest{firing("2d", AlertOffTarget, "churn_ratio")},
			[]alertTest{{EvalTime: "2d", Alertname: AlertCritical, ExpAlerts: []expAlert{{
				ExpLabels: map[string]string{"kpi": "churn_ratio", "objective": "grow", "team": "growth", "severity": "critical", "tenant": "acme"},
				ExpAnnotations: map[string]string{"summary": "Churn is critical",
					"description":   "Churn is 10%, above the critical bound of 8% (today's target: 5%).",
					"dashboard_url": "https://grafana.example.com/d/kpic-kpi/kpi?var-kpi=churn_ratio"}}}}}},
		{"KPICritical stays quiet while the KPI is amber", revenue("120"),
			[]exprTest{quiet("2d", AlertCritical, "revenue_dollars"), firing("2d", AlertOffTarget, "revenue_dollars")}, nil},
		{"KPIAtRisk fires when a green KPI's forecast misses the final target", revenue("160"),
			[]exprTest{quiet("2d", AlertOffTarget, "revenue_dollars")},
			[]alertTest{{EvalTime: "2d", Alertname: AlertAtRisk, ExpAlerts: []expAlert{{ExpLabels: revenueAlert("warning"),
				ExpAnnotations: revenueLinks(map[string]string{"summary": "Revenue is at risk of missing its target by 1970-01-03",
					"description": "Revenue is forecast to reach $160 by 1970-01-03, below the final target of $200."})}}}}},
		{"KPIAtRisk stays quiet when the trend reaches the final target",
			[]inputSeries{{Series: "business_revenue_dollars", Values: "100+3x96"}},
			[]exprTest{quiet("2d", AlertAtRisk, "revenue_dollars")}, nil},
		{"KPIAtRisk stays quiet once the period is over, when KPIOffTarget speaks", revenue("160"),
			[]exprTest{quiet("4d", AlertAtRisk, "revenue_dollars"), firing("4d", AlertOffTarget, "revenue_dollars")}, nil},
		{"KPINoData fires when the value has been absent for alert.absent_for",
			[]inputSeries{{Series: "business_revenue_dollars", Values: "100x23"}},
			[]exprTest{quiet("23h", AlertNoData, "revenue_dollars"), quiet("1d1h", AlertNoData, "revenue_dollars"),
				firing("1d2h", AlertNoData, "revenue_dollars")}, nil},
		{"KPINoData stays quiet while data arrives", revenue("100"),
			[]exprTest{quiet("2d", AlertNoData, "revenue_dollars")}, nil},
		{"KPINoData fires when one side of a ratio stops arriving",
			[]inputSeries{constant("business_churned", "5"), {Series: "business_customers", Values: "100x23"}},
			[]exprTest{quiet("1d1h", AlertNoData, "churn_ratio"), firing("1d2h", AlertNoData, "churn_ratio")}, nil},
		{"KPINoData stays quiet for a ratio over a zero denominator: the data is there",
			[]inputSeries{constant("business_churned", "5"), constant("business_customers", "0")},
			[]exprTest{quiet("2d", AlertNoData, "churn_ratio")}, nil},
		{"KPINoData stays quiet while a growth KPI builds up its history",
			[]inputSeries{{Series: "business_customers", Values: "_x40 100x56"}},
			[]exprTest{quiet("2d", AlertNoData, "customer_growth_ratio")}, nil},
		{"a KPI in seconds shows durations",
			[]inputSeries{constant(`business_first_response_seconds{priority="high"}`, "10000")}, nil,
			[]alertTest{{EvalTime: "2d", Alertname: AlertOffTarget, ExpAlerts: []expAlert{{
				ExpLabels: map[string]string{"kpi": "response_seconds", "objective": "grow", "team": "support", "severity": "warning", "tenant": "acme"},
				ExpAnnotations: map[string]string{"summary": "First response is off target",
					"description":   "First response is 2h 46m 40s, above today's target of 1h 0m 0s.",
					"dashboard_url": "https://grafana.example.com/d/kpic-kpi/kpi?var-kpi=response_seconds"}}}}}},
		{"a title holding {{ stays literal text in the annotations",
			[]inputSeries{constant("business_revenue_30d", "1000"), constant("business_cost_30d", "650")}, nil,
			[]alertTest{{EvalTime: "2d", Alertname: AlertOffTarget, ExpAlerts: []expAlert{{
				ExpLabels: map[string]string{"kpi": "margin_ratio", "objective": "grow", "team": "growth", "severity": "warning", "tenant": "acme"},
				ExpAnnotations: map[string]string{"summary": "Margin {{ oops is off target",
					"description":   "Margin {{ oops is 35%, below today's target of 40%.",
					"dashboard_url": "https://grafana.example.com/d/kpic-kpi/kpi?var-kpi=margin_ratio"}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runPromtoolTest(t, unitTest{InputSeries: tt.input, ExprTests: tt.exprs, AlertTests: tt.alerts})
		})
	}
}
