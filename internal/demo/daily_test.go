package demo

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// historyQueries reads the history query of every metric and KPI in kpis/ that has a query.
func historyQueries(t *testing.T) (history map[string]string, sqlBacked []string) {
	t.Helper()
	files, err := filepath.Glob("../../kpis/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no kpis/*.yaml: %v", err)
	}
	history = map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Metrics, KPIs []struct {
				Name, Query string
				History     struct{ Query string }
			}
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, x := range append(doc.Metrics, doc.KPIs...) {
			if x.Query == "" {
				continue
			}
			sqlBacked = append(sqlBacked, x.Name)
			if x.History.Query != "" {
				history[x.Name] = x.History.Query
			}
		}
	}
	return history, sqlBacked
}

// TestEverySQLSeriesOfTheDemoHasADailyHistory runs the history query of every SQL-backed metric
// and KPI of kpis/ on a seeded database: each returns a value for every day of the year (for at
// least one label set), and no NULL, whatever the hour of the UTC day the seed runs at.
func TestEverySQLSeriesOfTheDemoHasADailyHistory(t *testing.T) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	for _, now := range []time.Time{today.Add(time.Minute), today.Add(24*time.Hour - time.Minute)} {
		t.Run(now.Format("15:04"), func(t *testing.T) { checkDailyHistory(t, seededAt(t, 7, now)) })
	}
}

func checkDailyHistory(t *testing.T, db *sql.DB) {
	history, names := historyQueries(t)
	for _, name := range names {
		q, ok := history[name]
		if !ok {
			t.Errorf("%s has a query but no history query", name)
			continue
		}
		var days, nulls int
		err := db.QueryRow("SELECT count(DISTINCT time), count(*) - count(value) FROM ("+q+")").Scan(&days, &nulls)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if days < historyDays || nulls != 0 { // the oldest day may precede the first seeded facts
			t.Errorf("%s: %d days and %d NULL values, want at least %d days and none", name, days, nulls, historyDays)
		}
	}
}
