package demo

import (
	"math"
	"sort"
)

// order is a shop order; customer is a customer id.
type order struct {
	customer    int
	created     int64
	total, cost float64
	refunded    bool
}

// cart is a shopping cart, checked out or abandoned.
type cart struct {
	created    int64
	checkedOut bool
}

// Shop rates: about 1,000 visits a day today, growing over the year; about 3.1% of visits buy;
// about 68% of carts are abandoned.
const (
	sessionsToday   = 1000
	conversion      = 0.031
	abandonedPerBuy = 2.15
	refundShare     = 0.04
)

// genShop generates factDays of visits, carts and orders, day by day back from now.
func (h *history) genShop() {
	for d := int64(0); d < factDays; d++ {
		from, to := h.now-(d+1)*day, h.now-d*day
		visits := h.around(sessionsToday*(1-0.0004*float64(d)), 0.06)
		for range visits {
			h.sessions = append(h.sessions, h.between(from, to))
		}
		for range h.around(float64(visits)*conversion, 0.1) {
			h.addOrder(h.between(from, to))
		}
	}
	for _, o := range h.orders {
		for range h.around(abandonedPerBuy, 0.5) {
			h.carts = append(h.carts, cart{created: h.between(o.created-day/2, o.created+day/2)})
		}
	}
	for i := range h.carts {
		h.carts[i].created = min(h.carts[i].created, h.now-1)
	}
}

// addOrder records a paid (or refunded) order placed at t, and the cart it was checked out from.
func (h *history) addOrder(t int64) {
	total := math.Round(math.Exp(4+0.5*h.rnd.NormFloat64())*100) / 100
	h.orders = append(h.orders, order{
		customer: h.buyer(t),
		created:  t,
		total:    total,
		cost:     math.Round(total*(0.5+0.1*h.rnd.Float64())*100) / 100,
		refunded: h.rnd.Float64() < refundShare,
	})
	h.carts = append(h.carts, cart{created: t - h.rnd.Int64N(1800), checkedOut: true})
}

// buyer picks a customer who existed at t; every seventh customer is a regular who buys often,
// which puts the repeat purchase rate around a third.
func (h *history) buyer(t int64) int {
	n := sort.Search(len(h.customers), func(i int) bool { return h.customers[i].created > t })
	if n == 0 {
		return 1
	}
	if regulars := n / 7; regulars > 0 && h.rnd.Float64() < 0.45 {
		return 7*h.rnd.IntN(regulars) + 7
	}
	return h.rnd.IntN(n) + 1
}
