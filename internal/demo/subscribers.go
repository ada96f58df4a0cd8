package demo

import (
	"math/rand/v2"
	"slices"
)

// customer is a sign-up; its id is its index plus one, in order of creation.
type customer struct {
	created          int64
	channel, country string
}

// subscription is one customer's plan; cancelled is 0 while it is active.
type subscription struct {
	customer  int
	plan      string
	amount    float64
	started   int64
	cancelled int64
}

var (
	channels  = weighted{[]string{"search", "social", "referral", "email", "direct"}, []float64{35, 25, 15, 10, 15}}
	countries = weighted{[]string{"US", "GB", "DE", "FR", "CA", "AU"}, []float64{45, 15, 15, 10, 10, 5}}
	plans     = weighted{[]string{"basic", "pro", "business"}, []float64{45, 35, 20}}
	prices    = map[string]float64{"basic": 20, "pro": 45, "business": 99}
)

// span is a subscriber's life: when it started and, if so, when it was cancelled.
type span struct{ started, cancelled int64 }

// genSubscribers builds four cohorts that set the subscription KPIs: long-time customers still
// active, customers lost in the last 30 days (about 9% of those active 30 days ago: churn is red),
// customers won in the last 30 days, and customers lost earlier in the year.
func (h *history) genSubscribers() {
	var spans []span
	oldest, monthAgo := h.now-540*day, h.now-31*day
	for range 2180 + h.rnd.IntN(40) {
		spans = append(spans, span{started: h.between(oldest, monthAgo)})
	}
	for range 212 + h.rnd.IntN(12) {
		spans = append(spans, span{h.between(oldest, monthAgo), h.between(h.now-30*day+2*3600, h.now-600)})
	}
	for range 310 + h.rnd.IntN(15) {
		spans = append(spans, span{started: h.between(h.now-30*day+3600, h.now-300)})
	}
	for range 1100 {
		s := h.between(oldest, h.now-60*day)
		spans = append(spans, span{s, h.between(s+14*day, monthAgo)})
	}
	slices.SortFunc(spans, func(a, b span) int { return int(a.started - b.started) })
	for i, s := range spans {
		h.customers = append(h.customers, newCustomer(h.rnd, s.started))
		h.subs = append(h.subs, newSubscription(h.rnd, i+1, s))
	}
}

func newCustomer(rnd *rand.Rand, at int64) customer {
	return customer{created: at, channel: channels.pick(rnd), country: countries.pick(rnd)}
}

func newSubscription(rnd *rand.Rand, customerID int, s span) subscription {
	plan := plans.pick(rnd)
	return subscription{customer: customerID, plan: plan, amount: prices[plan], started: s.started, cancelled: s.cancelled}
}

// status is the subscription's status column.
func (s subscription) status() string {
	if s.cancelled != 0 {
		return "cancelled"
	}
	return "active"
}
