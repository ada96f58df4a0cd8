package exporter

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

func TestTryPublishesWhatServeWould(t *testing.T) {
	_, path := sqliteDB(t)
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("plans", "SELECT plan, n AS value FROM plans", time.Minute, "plan"))
	trials := Try(context.Background(), m, source.OSEnv(), m.Exported())
	if len(trials) != 1 || trials[0].Err != nil {
		t.Fatalf("trials: %+v", trials)
	}
	_, srv := started(t, m, io.Discard)
	scraped := get(t, srv.URL+"/metrics")
	if !strings.Contains(scraped, string(trials[0].Text)) {
		t.Errorf("trial text is not what serve publishes:\n%s\nscrape:\n%s", trials[0].Text, scraped)
	}
	if trials[0].Series != 2 || trials[0].Stats.Rows != 2 || trials[0].Limit != 100 {
		t.Errorf("got %+v", trials[0])
	}
}

func TestTryCountsWhatServeWouldDrop(t *testing.T) {
	db, path := sqliteDB(t)
	if _, err := db.Exec("INSERT INTO plans VALUES ('pro', 4), ('team', NULL), ('x', 'lots')"); err != nil {
		t.Fatal(err)
	}
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: definition.Secret(path)},
		metric("plans", "SELECT plan, n AS value FROM plans", time.Minute, "plan"),
		metric("broken", "SELECT n AS value FROM no_such_table", time.Minute),
		metric("nothing", "SELECT n AS value FROM plans WHERE 0", time.Minute))
	m.Settings.Exporter.SeriesLimit = 1
	trials := Try(context.Background(), m, source.OSEnv(), m.Exported())
	p := trials[0]
	if p.Err != nil || p.Stats.Null != 1 || p.Stats.NonNumeric != 1 || p.Duplicate != 1 || p.OverLimit != 1 || p.Series != 1 {
		t.Errorf("plans: %+v", p)
	}
	var se *source.Error
	if !errors.As(trials[1].Err, &se) || se.Reason != source.ReasonQuery || !strings.Contains(se.Error(), "no_such_table") {
		t.Errorf("broken: %v", trials[1].Err)
	}
	if n := trials[2]; n.Err != nil || n.Stats.Rows != 0 || len(n.Text) != 0 {
		t.Errorf("nothing: %+v", n)
	}
}

func TestTryReportsASourceThatDoesNotOpen(t *testing.T) {
	m := testModel(&definition.Source{Name: "db", Driver: "sqlite", DSN: "${KPIC_TEST_UNSET_DSN}"},
		metric("a", "SELECT 1 AS value", time.Minute), metric("b", "SELECT 2 AS value", time.Minute))
	env := source.Env{Getenv: func(string) string { return "" }, ReadFile: func(string) ([]byte, error) { return nil, errors.New("no") }}
	for _, tr := range Try(context.Background(), m, env, m.Exported()) {
		var oe *OpenError
		if !errors.As(tr.Err, &oe) || oe.Source != "db" {
			t.Errorf("%s: %v", tr.Export.Name, tr.Err)
		}
	}
}
