package dashboard

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

// TestObjectiveRowsLinkToTheirScorecards evaluates the label_replace calls of the scorecard's
// objectives table for every objective, long and odd names included, and expects the link
// label to be the uid of that objective's own scorecard.
func TestObjectiveRowsLinkToTheirScorecards(t *testing.T) {
	odd := smallModel()
	odd.Objectives[0].Name = "grow_recurring_revenue_in_every_market_of_emea"
	odd.Objectives[1].Name = "keep-customers.happy"
	for _, k := range odd.KPIs {
		k.Objective = map[string]string{"grow_revenue": odd.Objectives[0].Name, "happy_customers": odd.Objectives[1].Name}[k.Objective]
	}
	for _, m := range append(testModels(t), odd) {
		docs := generated(t, m)
		table := panelTitled(t, docs[ScorecardPath], "Objectives")
		expr := list(table["targets"])[0]["expr"].(string)
		for _, o := range m.Objectives {
			board, ok := docs[ObjectivesDir+"/"+o.Name+".json"]
			if !ok {
				t.Errorf("objective %s has no scorecard", o.Name)
				continue
			}
			got, err := labelAfterReplace(expr, map[string]string{"objective": o.Name}, "dashboard")
			if err != nil {
				t.Fatal(err)
			}
			if got != board["uid"] {
				t.Errorf("objective %s links to %q, its scorecard's uid is %q", o.Name, got, board["uid"])
			}
		}
	}
}

// panelTitled returns the panel titled title.
func panelTitled(t *testing.T, doc object, title string) object {
	t.Helper()
	for _, p := range panelsOf(doc) {
		if p["title"] == title {
			return p
		}
	}
	t.Fatalf("no panel %q", title)
	return nil
}

// labelAfterReplace applies the label_replace calls of expr, innermost first, to a series with
// labels ls, as Prometheus does, and returns the label name.
func labelAfterReplace(expr string, ls map[string]string, name string) (string, error) {
	node, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return "", err
	}
	if err := applyReplaces(node, ls); err != nil {
		return "", err
	}
	return ls[name], nil
}

func applyReplaces(e parser.Expr, ls map[string]string) error {
	call, ok := e.(*parser.Call)
	if !ok || call.Func.Name != "label_replace" {
		return nil
	}
	if err := applyReplaces(call.Args[0], ls); err != nil {
		return err
	}
	str := func(i int) string { return call.Args[i].(*parser.StringLiteral).Val }
	re, err := regexp.Compile("^(?s:" + str(4) + ")$")
	if err != nil {
		return fmt.Errorf("label_replace regex %q: %w", str(4), err)
	}
	if m := re.FindStringSubmatchIndex(ls[str(3)]); m != nil {
		ls[str(1)] = string(re.ExpandString(nil, str(2), ls[str(3)], m))
	}
	return nil
}

func TestObjectiveUID(t *testing.T) {
	long := strings.Repeat("grow_", 8)
	if got := ObjectiveUID("grow_revenue"); got != "kpic-objective-grow_revenue" {
		t.Errorf("ObjectiveUID(grow_revenue) = %q", got)
	}
	if a, b := ObjectiveUID(long), ObjectiveUID(long+"x"); len(a) != maxUIDLen || a == b || a != ObjectiveUID(long) {
		t.Errorf("long objectives give uids %q and %q", a, b)
	}
}

// TestLargeTeamsListTheirKPIsWithoutTiles: a team with more KPIs than maxEmbeddedKPIs gets the
// status table only (its KPIs' tiles are on the objectives' scorecards); a smaller one also
// gets a tile per KPI.
func TestLargeTeamsListTheirKPIsWithoutTiles(t *testing.T) {
	for _, n := range []int{10, maxEmbeddedKPIs + 5} {
		m := smallModel()
		for i := len(m.KPIs); i < n; i++ {
			k := *m.KPIs[0]
			k.Name = fmt.Sprintf("copy%d_dollars", i)
			m.KPIs = append(m.KPIs, &k)
		}
		growth := 0
		for _, k := range m.KPIs {
			if k.Owner == "growth" || slices.Contains(k.Contributors, "growth") {
				growth++
			}
		}
		var tables, tiles int
		for _, p := range panelsOf(generated(t, m)[TeamsDir+"/growth.json"]) {
			switch p["type"] {
			case "table":
				tables++
			case "stat":
				tiles++
			}
		}
		want := growth
		if growth > maxEmbeddedKPIs {
			want = 0
		}
		if tables != 1 || tiles != want {
			t.Errorf("a team of %d KPIs has %d status tables and %d tiles, want 1 and %d", growth, tables, tiles, want)
		}
	}
}
