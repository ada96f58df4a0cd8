package source_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/source"
)

// sample is one visited row, copied out of the reused buffers.
type sample struct {
	labels string
	value  float64
}

func run(t *testing.T, s *source.Source, q source.Query) ([]sample, source.Stats, error) {
	t.Helper()
	if q.Timeout == 0 {
		q.Timeout = 10 * time.Second
	}
	var got []sample
	st, err := s.Run(context.Background(), q, func(labels [][]byte, v float64) {
		parts := make([]string, len(labels))
		for i, l := range labels {
			parts[i] = string(l)
		}
		got = append(got, sample{strings.Join(parts, ","), v})
	})
	return got, st, err
}

func reason(err error) string {
	var e *source.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return fmt.Sprint(err)
}

func TestRunReadsRows(t *testing.T) {
	tests := []struct {
		name   string
		sql    string
		labels []string
		want   []sample
		stats  source.Stats
		reason string
	}{
		{name: "labels and values are read, column names in any case",
			sql:    "SELECT 'pro' AS Plan, 3 AS VALUE UNION ALL SELECT 'free', 2.5",
			labels: []string{"plan"}, want: []sample{{"pro", 3}, {"free", 2.5}}, stats: source.Stats{Rows: 2}},
		{name: "a numeric string is a number",
			sql: "SELECT ' 42.5 ' AS value", want: []sample{{"", 42.5}}, stats: source.Stats{Rows: 1}},
		{name: "a NULL value skips the row and is counted",
			sql:    "SELECT 'a' AS plan, NULL AS value UNION ALL SELECT 'b', 1",
			labels: []string{"plan"}, want: []sample{{"b", 1}}, stats: source.Stats{Rows: 2, Null: 1}},
		{name: "a non-numeric value skips the row and is counted",
			sql: "SELECT 'abc' AS value", stats: source.Stats{Rows: 1, NonNumeric: 1}},
		{name: "a NULL label is an empty label value",
			sql:    "SELECT NULL AS plan, 1 AS value",
			labels: []string{"plan"}, want: []sample{{"", 1}}, stats: source.Stats{Rows: 1}},
		{name: "a missing value column fails the query",
			sql: "SELECT 1 AS n", reason: source.ReasonColumns},
		{name: "a missing label column fails the query",
			sql: "SELECT 1 AS value", labels: []string{"plan"}, reason: source.ReasonColumns},
		{name: "an undeclared column fails the query instead of merging rows",
			sql: "SELECT 'x' AS region, 1 AS value", reason: source.ReasonColumns},
		{name: "a syntax error fails the query",
			sql: "SELECT 1 AS value FROM WHERE", reason: source.ReasonQuery},
		{name: "a statement that is not a query is refused before it reaches the database",
			sql: "SELEKT 1", reason: source.ReasonRefused},
	}
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			s := d.open(t)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, st, err := run(t, s, source.Query{Name: "q", SQL: tt.sql, Labels: tt.labels})
					if tt.reason != "" {
						if reason(err) != tt.reason {
							t.Fatalf("error %v, want reason %s", err, tt.reason)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, tt.want) || st != tt.stats {
						t.Errorf("got %v %+v, want %v %+v", got, st, tt.want, tt.stats)
					}
				})
			}
		})
	}
}
