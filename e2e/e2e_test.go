//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/slackhook"
)

// TestKPIsEndToEnd runs the whole chain once per database: data in SQL, kpic serve, Prometheus
// with the compiled rules, Alertmanager with the compiled routes, a Slack webhook.
func TestKPIsEndToEnd(t *testing.T) {
	for _, tt := range []struct {
		name    string
		backend func(*testing.T) backend
	}{
		{"kpic serve on SQLite", sqliteBackend},
		{"kpic serve on PostgreSQL", postgresBackend},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.backend(t)
			b.seed(t)
			s := startStack(t, b)
			t.Run("Prometheus loads the generated rules without errors", func(t *testing.T) { rulesHealthy(t, s) })
			t.Run("kpi:value and kpi:status match the seeded data", func(t *testing.T) { valuesMatch(t, s) })
			t.Run("a breach sends a Slack message and fixing it resolves it", func(t *testing.T) { breachAndFix(t, s, b) })
		})
	}
}

// rulesHealthy waits until every generated rule has been evaluated, then requires all healthy.
func rulesHealthy(t *testing.T, s running) {
	eventually(t, 30*time.Second, "every rule evaluated", func() string {
		groups := rules(t, s.prometheus)
		if len(groups) == 0 {
			return "no rule groups loaded"
		}
		for _, g := range groups {
			for _, r := range g.Rules {
				if r.LastEvaluation.IsZero() || r.LastEvaluation.Year() < 2000 {
					return fmt.Sprintf("rule %s of group %s not evaluated yet", r.Name, g.Name)
				}
			}
		}
		return ""
	})
	for _, g := range rules(t, s.prometheus) {
		for _, r := range g.Rules {
			if r.Health != "ok" || r.LastError != "" {
				t.Errorf("group %s rule %s: health %q, last error %q", g.Name, r.Name, r.Health, r.LastError)
			}
		}
	}
}

// valuesMatch compares the recorded KPI series with what the seeded rows give.
func valuesMatch(t *testing.T, s running) {
	want := []struct {
		expr  string
		value float64
	}{
		{`kpi:value{kpi="active_accounts"}`, 42},
		{`kpi:status{kpi="active_accounts"}`, 0},
		{`kpi:value{kpi="payment_failure_ratio"}`, 0.06},
		{`kpi:status{kpi="payment_failure_ratio"}`, 1},
	}
	for _, w := range want {
		eventually(t, 30*time.Second, w.expr, func() string {
			got, ok := query(t, s.prometheus, w.expr)
			if !ok || !near(got, w.value) {
				return fmt.Sprintf("got %v (present: %v), want %v", got, ok, w.value)
			}
			return ""
		})
	}
}

// breachAndFix drops active accounts below the critical bound, expects the red alert in Slack
// with the KPI, its value and its target, then restores them and expects the resolved message.
func breachAndFix(t *testing.T, s running, b backend) {
	mustExec(t, b.db, "UPDATE accounts SET active = 0 WHERE id > 25")
	firing := waitSlack(t, s.slack, "the firing message for active_accounts at 25 against 40", func(m slackhook.Message) bool {
		return names(m, "active_accounts", "Active accounts") && m.Contains("25") && m.Contains("40") && !resolved(m)
	})
	t.Logf("firing message: %s", firing.Raw)
	mustExec(t, b.db, "UPDATE accounts SET active = 1 WHERE id <= 42")
	waitSlack(t, s.slack, "the resolved message for active_accounts", func(m slackhook.Message) bool {
		return names(m, "active_accounts", "Active accounts") && resolved(m)
	})
}

// waitSlack waits up to a minute for a matching message and fails listing what came instead.
func waitSlack(t *testing.T, r *slackhook.Receiver, what string, match func(slackhook.Message) bool) slackhook.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	m, err := r.Wait(ctx, match)
	if err != nil {
		var got []string
		for _, m := range r.Messages() {
			got = append(got, string(m.Raw))
		}
		t.Fatalf("%s: %v; messages received:\n%s", what, err, strings.Join(got, "\n"))
	}
	return m
}

func names(m slackhook.Message, alternatives ...string) bool {
	for _, a := range alternatives {
		if m.Contains(a) {
			return true
		}
	}
	return false
}

// resolved tells a resolved notification: Alertmanager's title says RESOLVED.
func resolved(m slackhook.Message) bool {
	for _, a := range m.Attachments {
		if strings.Contains(strings.ToUpper(a.Title), "RESOLVED") {
			return true
		}
	}
	return strings.Contains(strings.ToUpper(m.Text), "RESOLVED")
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
