package kpitest

import (
	"github.com/prometheus/prometheus/model/rulefmt"
)

// evalOrder orders groups so that, at an instant several are due, a group reading a series
// another group records runs after it: rules then read the values of the same instant,
// whatever order the rule files list their groups in. (A Prometheus server evaluates groups
// concurrently, so there a reader may see values up to one evaluation old.) Groups reading one
// another in a cycle keep their order.
func evalOrder(groups []rulefmt.RuleGroup) []rulefmt.RuleGroup {
	rr := reads(groups)
	records := make([][]selected, len(groups))
	for i, g := range groups {
		for _, r := range g.Rules {
			if r.Record != "" {
				records[i] = append(records[i], selected{name: r.Record, kpi: r.Labels["kpi"]})
			}
		}
	}
	done := make([]bool, len(groups))
	out := make([]rulefmt.RuleGroup, 0, len(groups))
	for len(out) < len(groups) {
		next := -1
		for i := range groups {
			if done[i] {
				continue
			}
			if !waits(i, done, records, rr[i]) {
				next = i
				break
			}
			if next < 0 {
				next = i // a cycle: the first group left
			}
		}
		done[next] = true
		out = append(out, groups[next])
	}
	return out
}

// waits reports whether a group (its rules' reads) reads a series that another group not yet
// placed records.
func waits(i int, done []bool, records [][]selected, reads []ruleReads) bool {
	for _, r := range reads {
		for _, s := range r.sels {
			for j, recs := range records {
				if j != i && !done[j] && recordsOne(recs, s) {
					return true
				}
			}
		}
	}
	return false
}

// recordsOne reports whether any of the recorded series can be one the selector reads.
func recordsOne(recs []selected, s selected) bool {
	for _, r := range recs {
		if r.name == s.name && (s.kpi == "" || r.kpi == "" || r.kpi == s.kpi) {
			return true
		}
	}
	return false
}
