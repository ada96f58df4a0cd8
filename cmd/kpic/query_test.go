package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// queryDefs writes definitions whose metrics read table on db, one query per way a query can
// go wrong, and returns the folder and the text (to find positions in).
func queryDefs(t *testing.T, db testDB, table string) (dir, text string) {
	t.Helper()
	return queryDefsAs(t, db, table, db.driver != "sqlite")
}

// queryDefsAs is queryDefs; privileged allows the test servers' superuser (root, postgres)
// that kpic otherwise refuses.
func queryDefsAs(t *testing.T, db testDB, table string, privileged bool) (dir, text string) {
	t.Helper()
	dir = t.TempDir()
	t.Setenv("KPIC_CHECKUX_DSN", db.dsn)
	text = fmt.Sprintf(`sources:
  - name: db
    driver: %s
    dsn: ${KPIC_CHECKUX_DSN}
    query_timeout: 10s
    allow_privileged: %[3]t
teams:
  - name: growth
    slack_channel: "#growth"
metrics:
  - name: plans
    help: Amount per plan.
    owner: growth
    source: db
    labels: [plan]
    query: SELECT plan, amount AS value FROM %[2]s WHERE amount IS NOT NULL ORDER BY plan
  - name: misspelt
    help: A table that does not exist.
    owner: growth
    source: db
    query: SELECT amount AS value FROM %[2]s_typo
  - name: empty
    help: A filter that matches nothing.
    owner: growth
    source: db
    query: SELECT amount AS value FROM %[2]s WHERE plan = 'enterprise'
  - name: nulls
    help: Only NULL values.
    owner: growth
    source: db
    query: SELECT amount AS value FROM %[2]s WHERE amount IS NULL
  - name: words
    help: A value that is not a number.
    owner: growth
    source: db
    labels: [plan]
    query: SELECT plan, note AS value FROM %[2]s
  - name: capped
    help: More series than its limit.
    owner: growth
    source: db
    labels: [plan]
    series_limit: 1
    query: SELECT plan, amount AS value FROM %[2]s WHERE amount IS NOT NULL
`, db.driver, table, privileged)
	if err := os.WriteFile(filepath.Join(dir, "defs.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, text
}

// queryAt is the file:line:col of the query of the metric named name in text.
func queryAt(dir, text, name string) string {
	lines := strings.Split(text, "\n")
	seen := false
	for i, l := range lines {
		seen = seen || l == "  - name: "+name
		if seen && strings.HasPrefix(l, "    query: ") {
			return fmt.Sprintf("%s:%d:12", filepath.ToSlash(filepath.Join(dir, "defs.yaml")), i+1)
		}
	}
	return "<no query for " + name + ">"
}

func seedPlans(t *testing.T, db testDB) string {
	return db.table(t, "plan VARCHAR(20), amount DOUBLE PRECISION, note VARCHAR(20)",
		"'pro', 3.5, 'lots'", "'free', 10, 'few'", "'team', NULL, 'none'")
}

func TestCheckQueriesPointsAtBrokenAndEmptyQueries(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.driver, func(t *testing.T) {
			db.need(t)
			dir, text := queryDefs(t, db, seedPlans(t, db))
			code, stdout, errs := kpic(t, "check", "--queries", "--definitions-only", dir)
			if code != 1 {
				t.Fatalf("exit %d, want 1 for the misspelt table:\n%s%s", code, stdout, errs)
			}
			want := map[string]string{
				"misspelt": ": query \"misspelt\" failed (query): ",
				"empty":    ": warning: query \"empty\" returned no rows",
				"nulls":    ": warning: query \"nulls\" returned only NULL values (1 row)",
				"words":    ": warning: query \"words\" returned 3 rows whose value is not a number",
				"capped":   ": warning: query \"capped\" returned 2 series, more than its limit of 1",
			}
			for name, msg := range want {
				if !strings.Contains(errs, queryAt(dir, text, name)+msg) {
					t.Errorf("no %q at %s:\n%s", msg, queryAt(dir, text, name), errs)
				}
			}
			if strings.Contains(errs, `"plans"`) {
				t.Errorf("the good query was reported:\n%s", errs)
			}
			if strings.Contains(errs, "KPIC_CHECKUX_DSN") || strings.Contains(errs, db.dsn) && db.driver != "sqlite" {
				t.Errorf("the DSN leaked:\n%s", errs)
			}
		})
	}
}

func TestQueryPrintsTheSeriesServeWouldPublish(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.driver, func(t *testing.T) {
			db.need(t)
			dir, _ := queryDefs(t, db, seedPlans(t, db))
			code, stdout, errs := kpic(t, "query", "--config.dir", dir, "plans")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			want := "# HELP business_plans Amount per plan.\n# TYPE business_plans gauge\n" +
				"business_plans{plan=\"free\"} 10\nbusiness_plans{plan=\"pro\"} 3.5\n"
			if stdout != want {
				t.Errorf("got\n%s\nwant\n%s", stdout, want)
			}
		})
	}
}

func TestQueryOfABrokenQueryFailsAtItsPosition(t *testing.T) {
	db := testDBs(t)[0]
	dir, text := queryDefs(t, db, seedPlans(t, db))
	code, stdout, errs := kpic(t, "query", "--config.dir", dir, "misspelt", "plans")
	if code != 1 || !strings.Contains(errs, queryAt(dir, text, "misspelt")+": query \"misspelt\" failed") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	if !strings.Contains(stdout, "business_plans{plan=\"pro\"} 3.5") {
		t.Errorf("the other query did not print:\n%s", stdout)
	}
}

func TestQueryExplainsNamesWithoutAQuery(t *testing.T) {
	db := testDBs(t)[0]
	dir, _ := queryDefs(t, db, seedPlans(t, db))
	code, _, errs := kpic(t, "query", "--config.dir", dir, "plan")
	if code != 1 || !strings.Contains(errs, `no metric or KPI named "plan"; did you mean "plans"?`) {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = kpic(t, "query", "--config.dir", "../../kpis", "churn_ratio")
	if code != 1 || !strings.Contains(errs, `kpi "churn_ratio" is computed by Prometheus (from its ratio)`) {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestCheckQueriesReportsAPrivilegedRoleOnceAtTheSource(t *testing.T) {
	db := testDBs(t)[1]
	db.need(t)
	dir, _ := queryDefsAs(t, db, seedPlans(t, db), false)
	code, _, errs := kpic(t, "check", "--queries", "--definitions-only", dir)
	if code != 1 || strings.Count(errs, "privileged role") != 1 || !strings.Contains(errs, "defs.yaml:2:5: source \"db\": privileged role") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
}

func TestCheckQueriesReportsAnUnreachableSourceOnce(t *testing.T) {
	dir, _ := queryDefs(t, testDB{driver: "postgres", dsn: "postgres://kpic@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}, "t")
	code, _, errs := kpic(t, "check", "--queries", "--definitions-only", dir)
	if code != 1 || strings.Count(errs, "cannot connect") != 1 || !strings.Contains(errs, "defs.yaml:2:5: source \"db\": cannot connect") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
}

func TestCheckQueriesJSONNamesTheQueryField(t *testing.T) {
	db := testDBs(t)[0]
	dir, text := queryDefs(t, db, seedPlans(t, db))
	code, stdout, _ := kpic(t, "check", "--queries", "--definitions-only", "--format=json", dir)
	at := queryAt(dir, text, "misspelt")
	parts := strings.Split(at, ":")
	want := `"line": ` + parts[len(parts)-2] + `,
      "column": 12,
      "severity": "error",
      "message": "query \"misspelt\" failed (query): `
	if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(stdout, `"field": "metrics[1].query"`) {
		t.Errorf("exit %d, want %s in\n%s", code, want, stdout)
	}
}
