package dashboard

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// cell is one square of the dashboard grid.
type cell struct{ x, y int }

// gridPos reads a panel's position.
func gridPos(p object) (x, y, w, h int) {
	g, _ := p["gridPos"].(object)
	num := func(k string) int { f, _ := g[k].(float64); return int(f) }
	return num("x"), num("y"), num("w"), num("h")
}

// TestPanelsHaveUniqueIDsAndDoNotOverlap checks ids and grid positions of every dashboard.
func TestPanelsHaveUniqueIDsAndDoNotOverlap(t *testing.T) {
	for path, doc := range generatedAll(t) {
		ids, taken := map[float64]bool{}, map[cell]string{}
		for _, p := range panelsOf(doc) {
			id, _ := p["id"].(float64)
			if id == 0 || ids[id] {
				t.Errorf("%s: panel %q has a missing or duplicate id %v", path, p["title"], id)
			}
			ids[id] = true
			x, y, w, h := gridPos(p)
			if w <= 0 || h <= 0 || x+w > gridWidth {
				t.Errorf("%s: panel %q is placed off the grid: x=%d w=%d h=%d", path, p["title"], x, w, h)
			}
			for cx := x; cx < x+w; cx++ {
				for cy := y; cy < y+h; cy++ {
					if other, ok := taken[cell{cx, cy}]; ok {
						t.Fatalf("%s: panel %q overlaps %q at %d,%d", path, p["title"], other, cx, cy)
					}
					taken[cell{cx, cy}] = fmt.Sprint(p["title"])
				}
			}
		}
	}
}

// objectiveRowLink starts the link of each row of the scorecard's objectives table, whose uid
// comes from the query.
const objectiveRowLink = "/d/${__data.fields.dashboard}"

// dashboardUID finds the uid of a /d/<uid> link.
var dashboardUID = regexp.MustCompile(`^/d/([^/?]+)`)

// TestLinksPointAtGeneratedDashboards follows every dashboard and data link.
func TestLinksPointAtGeneratedDashboards(t *testing.T) {
	docs := generatedAll(t)
	uids := map[string]bool{}
	for _, doc := range docs {
		uids[doc["uid"].(string)] = true
	}
	for path, doc := range docs {
		urls := linkURLs(doc)
		if len(urls) == 0 {
			t.Errorf("%s has no links to the other dashboards", path)
		}
		for _, u := range urls {
			if strings.HasPrefix(u, objectiveRowLink) {
				continue // TestObjectiveRowsLinkToTheirScorecards resolves it for every objective
			}
			m := dashboardUID.FindStringSubmatch(u)
			if m == nil || !uids[m[1]] {
				t.Errorf("%s: link %q does not point at a generated dashboard", path, u)
			}
		}
	}
}

// TestConventions checks what every dashboard and panel promises its readers.
func TestConventions(t *testing.T) {
	for path, doc := range generatedAll(t) {
		if doc["editable"] != false {
			t.Errorf("%s: editable is %v, want false", path, doc["editable"])
		}
		if uid, _ := doc["uid"].(string); uid == "" || len(uid) > maxUIDLen {
			t.Errorf("%s: uid %q is empty or longer than %d", path, uid, maxUIDLen)
		}
		for _, p := range panelsOf(doc) {
			checkPanelConventions(t, path, p)
		}
	}
}

func checkPanelConventions(t *testing.T, path string, p object) {
	t.Helper()
	if p["type"] == "row" {
		return
	}
	if d, _ := p["description"].(string); strings.TrimSpace(d) == "" {
		t.Errorf("%s: panel %q has no description", path, p["title"])
	}
	if p["type"] == "text" {
		return
	}
	want := datasourceRef()
	if fmt.Sprint(p["datasource"]) != fmt.Sprint(want) {
		t.Errorf("%s: panel %q uses datasource %v, want the datasource variable", path, p["title"], p["datasource"])
	}
	for _, tg := range list(p["targets"]) {
		if fmt.Sprint(tg["datasource"]) != fmt.Sprint(want) {
			t.Errorf("%s: panel %q target %v uses datasource %v", path, p["title"], tg["refId"], tg["datasource"])
		}
	}
}

func TestTeamUID(t *testing.T) {
	long := strings.Repeat("customer_success_", 3)
	tests := map[string]struct {
		team, want string
	}{
		"a short team name is kept":             {"growth", "kpic-team-growth"},
		"a name of exactly 30 characters fits":  {strings.Repeat("a", 30), "kpic-team-" + strings.Repeat("a", 30)},
		"characters Grafana refuses become a -": {"r&d", "kpic-team-r-d"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := TeamUID(tt.team); got != tt.want {
				t.Errorf("TeamUID(%q) = %q, want %q", tt.team, got, tt.want)
			}
		})
	}
	t.Run("a long name is shortened to 40 characters with a stable hash", func(t *testing.T) {
		a, b := TeamUID(long), TeamUID(long+"x")
		if len(a) != maxUIDLen || len(b) > maxUIDLen || a == b || a != TeamUID(long) {
			t.Errorf("TeamUID gives %q and %q", a, b)
		}
	})
}
