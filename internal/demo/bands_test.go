package demo

import (
	"testing"
)

// TestSeedPutsKPIsInTheirBands computes each KPI of kpis/ in Go from its queries' results on a
// seeded database and checks it lands where the demo needs it: churn red, the rest green or amber.
func TestSeedPutsKPIsInTheirBands(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		db := seeded(t, seed)
		q := definitionQueries(t)
		v := func(name string) float64 {
			if q[name] == "" {
				t.Fatalf("kpis/ has no query named %s", name)
			}
			return sumValues(t, db, q[name])
		}
		tests := []struct {
			name     string
			value    float64
			low, top float64
		}{
			{"MRR is around $110k, amber against the ramp", v("mrr_dollars"), 105000, 115000},
			{"about 2,400 customers were active 30 days ago", v("customers_30d_ago"), 2300, 2500},
			{"churn is red: more than 8% of them cancelled since", v("churned_customers_30d") / v("customers_30d_ago"), 0.081, 0.11},
			{"about 2,500 customers are active", v("active_customers"), 2400, 2600},
			{"ARPU is green: above $40", v("mrr_dollars") / v("active_customers"), 40, 50},
			{"CAC is green: below $120", v("marketing_spend_30d_dollars") / v("new_customers_30d"), 60, 120},
			{"the shop has about 1,000 visits a day", v("sessions_30d") / 30, 900, 1100},
			{"conversion is about 3%: between critical and the year-end target", v("orders_30d") / v("sessions_30d"), 0.027, 0.035},
			{"cart abandonment is green: below 70%", v("carts_abandoned_30d") / v("carts_created_30d"), 0.6, 0.7},
			{"revenue growth week over week is not red", v("revenue_30d_dollars")/sumValues(t, db, revenueWeekAgo) - 1, -0.05, 0.05},
			{"NPS is about 35, amber", v("nps_score"), 30, 39},
			{"NPS answers by kind add up to the answers of the NPS query", v("nps_responses_30d"), 500, 1000},
			{"repeat purchase rate is green: at least 30%", v("repeat_buyers_90d") / v("buyers_90d"), 0.3, 0.45},
			{"median first response is about 40 minutes, green", v("first_response_seconds"), 1800, 3000},
			{"some tickets are open", v("open_tickets"), 1, 400},
			{"gross margin is green: at least 40%", 1 - v("cost_of_goods_30d_dollars")/v("revenue_30d_dollars"), 0.4, 0.5},
		}
		for _, tt := range tests {
			t.Logf("seed %d: %s: %.4g", seed, tt.name, tt.value)
			if tt.value < tt.low || tt.value > tt.top {
				t.Errorf("seed %d: %s: got %.4g, want between %g and %g", seed, tt.name, tt.value, tt.low, tt.top)
			}
		}
	}
}

// TestEveryDefinitionQueryRuns runs each SQL query of kpis/ on the seeded schema, so a renamed
// column fails here rather than in the demo.
func TestEveryDefinitionQueryRuns(t *testing.T) {
	db := seeded(t, 3)
	for name, query := range definitionQueries(t) {
		if query == "" {
			continue
		}
		if got := sumValues(t, db, query); got == 0 && name != "open_tickets" {
			t.Errorf("%s: the query returns nothing or zero on the seeded data", name)
		}
	}
}
