package review

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kpic/kpic/internal/definition"
)

const base = `
sources:
  - {name: db, driver: sqlite, dsn: "${DB}"}
teams:
  - {name: growth, slack_channel: "#growth"}
  - {name: finance, slack_channel: "#finance"}
objectives:
  - {name: grow, title: Grow, owner: growth, period: {start: 2026-01-01, end: 2026-12-31}}
metrics:
  - {name: signups, help: Sign-ups., owner: growth, source: db, query: SELECT 1 AS value}
  - {name: visits, help: Visits., owner: growth, source: db, query: SELECT 2 AS value}
kpis:
  - name: mrr_dollars
    title: MRR
    objective: grow
    owner: growth
    unit: dollars
    source: db
    query: SELECT 100 AS value
    target: {direction: higher, from: 100, to: 115}
    critical: 90
    supporting: [signups]
`

func load(t *testing.T, text string) *definition.Model {
	t.Helper()
	m, diags := definition.LoadFS(fstest.MapFS{"kpis.yaml": {Data: []byte(text)}}, "kpis")
	if diags.HasErrors() {
		t.Fatalf("fixture does not load:\n%v", diags)
	}
	return m
}

func render(t *testing.T, changes []Change) string {
	t.Helper()
	var b strings.Builder
	if err := WriteMarkdown(&b, changes); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(string) string
		want      []string
		wantCount int
	}{
		{"identical definitions report no change", func(s string) string { return s },
			[]string{"No changes"}, 0},
		{"a raised critical bound is shown old to new", func(s string) string {
			return strings.Replace(s, "critical: 90", "critical: 95", 1)
		}, []string{"### KPIs", "`mrr_dollars` changed: critical 90 → 95"}, 1},
		{"a new ramp end is shown in words", func(s string) string {
			return strings.Replace(s, "to: 115", "to: 120", 1)
		}, []string{"target at least 100 rising to 115 → at least 100 rising to 120"}, 1},
		{"an owner handed to another team is shown", func(s string) string {
			return strings.Replace(s, "    owner: growth\n    unit", "    owner: finance\n    unit", 1)
		}, []string{"owner growth → finance"}, 1},
		{"a removed metric is listed", func(s string) string {
			return strings.Replace(s, "  - {name: visits, help: Visits., owner: growth, source: db, query: SELECT 2 AS value}\n", "", 1)
		}, []string{"### Metrics", "**removed** `visits`: help Visits, owner growth"}, 1},
		{"a short changed query is shown inline", func(s string) string {
			return strings.Replace(s, "SELECT 1 AS value", "SELECT 3 AS value", 1)
		}, []string{"computed by SQL on db: SELECT 1 AS value → SQL on db: SELECT 3 AS value"}, 1},
		{"a long changed query shows both versions as a block", func(s string) string {
			return strings.Replace(s, "SELECT 1 AS value", "SELECT count(*) AS value FROM signups WHERE created_at > 1700000000 AND channel <> 'test'", 1)
		}, []string{"    - SQL on db: SELECT 1 AS value", "    + SQL on db: SELECT count(*) AS value FROM signups"}, 1},
		{"a changed alert delay is shown", func(s string) string {
			return strings.Replace(s, "    supporting: [signups]\n", "    supporting: [signups]\n    alert: {for: 1h}\n", 1)
		}, []string{"alerts after 15m, no data after 15m → after 1h, no data after 15m"}, 1},
		{"a changed DSN is visible without showing it", func(s string) string {
			return strings.Replace(s, `"${DB}"`, `"${OTHER_DB}"`, 1)
		}, []string{"### Sources", "`db` changed: connection dsn sha256:"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := tt.edit(base)
			changes := Compare(load(t, base), load(t, head))
			if len(changes) != tt.wantCount {
				t.Errorf("got %d changes, want %d: %+v", len(changes), tt.wantCount, changes)
			}
			md := render(t, changes)
			for _, w := range tt.want {
				if !strings.Contains(md, w) {
					t.Errorf("output lacks %q:\n%s", w, md)
				}
			}
			if strings.Contains(md, "OTHER_DB") {
				t.Errorf("output shows a DSN:\n%s", md)
			}
		})
	}
}

func TestASummaryDoesNotDoublePunctuation(t *testing.T) {
	head := base + `  - name: resolved_tickets
    title: Tickets resolved...
    objective: grow
    owner: growth
    unit: count
    metric: signups
    target: {direction: higher, value: 5}
    supporting: [signups]
`
	md := render(t, Compare(load(t, base), load(t, strings.Replace(head, "  - {name: visits", "  - {name: pages, help: Pages seen., owner: growth, source: db, query: SELECT 4 AS value}\n  - {name: visits", 1))))
	for _, want := range []string{"help Pages seen, owner growth", "title Tickets resolved..., objective grow"} {
		if !strings.Contains(md, want) {
			t.Errorf("output lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "seen.,") {
		t.Errorf("output doubles punctuation:\n%s", md)
	}
}

func TestAnAddedKPIIsSummarised(t *testing.T) {
	head := base + `  - name: churn_ratio
    title: Churn
    objective: grow
    owner: growth
    unit: ratio
    ratio: {numerator: signups, denominator: visits}
    target: {direction: lower, value: 0.05}
    supporting: [signups]
`
	md := render(t, Compare(load(t, base), load(t, head)))
	if !strings.Contains(md, "**added** `churn_ratio`: title Churn, objective grow, owner growth") {
		t.Errorf("output:\n%s", md)
	}
}
