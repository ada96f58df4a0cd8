package demo

import (
	"math"
	"time"
)

// spend is one day's marketing spend on one channel.
type spend struct {
	day, channel string
	amount       float64
}

// nps is one survey answer.
type nps struct {
	created int64
	score   int
}

// ticket is a support ticket; zero firstResponse or resolved mean NULL (not yet).
type ticket struct {
	created, resolved int64
	firstResponse     int64
	priority          string
}

// dailySpend is the marketing budget per channel per day, about $1,050 in all.
var dailySpend = map[string]float64{"search": 500, "social": 350, "email": 80, "referral": 120}

var (
	spendChannels = []string{"email", "referral", "search", "social"}
	priorities    = weighted{[]string{"low", "normal", "high"}, []float64{40, 45, 15}}
)

// genSpend writes a row per channel per day for the last factDays days.
func (h *history) genSpend() {
	for d := range factDays {
		date := time.Unix(h.now, 0).UTC().AddDate(0, 0, -d).Format(time.DateOnly)
		for _, c := range spendChannels {
			amount := dailySpend[c] * (0.85 + 0.3*h.rnd.Float64())
			h.spend = append(h.spend, spend{date, c, math.Round(amount*100) / 100})
		}
	}
}

// genNPS writes about 25 answers a day: half promoters, 14% detractors, a score near 36.
func (h *history) genNPS() {
	for d := int64(0); d < factDays; d++ {
		for range h.around(25, 0.3) {
			h.nps = append(h.nps, nps{h.between(h.now-(d+1)*day, h.now-d*day), npsScore(h.rnd.Float64(), h.rnd.IntN(7))})
		}
	}
}

// npsScore maps a uniform draw u to a promoter, passive or detractor score.
func npsScore(u float64, k int) int {
	switch {
	case u < 0.50:
		return 9 + k%2
	case u < 0.86:
		return 7 + k%2
	default:
		return k
	}
}

// genTickets writes about 20 tickets a day, first answered after about 40 minutes (median).
func (h *history) genTickets() {
	for d := int64(0); d < factDays; d++ {
		for range h.around(20, 0.3) {
			h.tickets = append(h.tickets, h.newTicket(h.between(h.now-(d+1)*day, h.now-d*day)))
		}
	}
}

// newTicket draws a ticket created at t; answers and resolutions after now are left NULL.
func (h *history) newTicket(t int64) ticket {
	tk := ticket{created: t, priority: priorities.pick(h.rnd)}
	first := int64(math.Exp(math.Log(2400) + 0.7*h.rnd.NormFloat64()))
	if t+first >= h.now {
		return tk
	}
	tk.firstResponse = first
	if resolved := t + first + int64(math.Exp(math.Log(6*3600)+h.rnd.NormFloat64())); resolved < h.now {
		tk.resolved = resolved
	}
	return tk
}
