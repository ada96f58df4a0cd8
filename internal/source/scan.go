package source

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// columns says where the value and each label are in a result row.
type columns struct {
	n      int
	value  int
	labels []int
}

// columnsError is a result whose columns do not match the definition.
type columnsError struct{ msg string }

func (e *columnsError) Error() string { return e.msg }

// mapColumns matches result columns to `value` and the labels, ignoring case (databases fold
// unquoted names differently). An unexpected column is an error, not ignored: it usually is a
// label someone forgot to declare, and ignoring it would merge distinct rows into one series.
func mapColumns(names, labels []string) (columns, error) {
	c := columns{n: len(names), value: -1, labels: make([]int, len(labels))}
	for j := range c.labels {
		c.labels[j] = -1
	}
	for i, name := range names {
		if strings.EqualFold(name, "value") && c.value < 0 {
			c.value = i
			continue
		}
		j := indexFold(labels, name)
		if j < 0 || c.labels[j] >= 0 {
			return c, &columnsError{fmt.Sprintf("unexpected column %q: a result has a value column and the declared labels %v", name, labels)}
		}
		c.labels[j] = i
	}
	return c, c.missing(labels)
}

// missing reports the value or a label column absent from the result.
func (c columns) missing(labels []string) error {
	if c.value < 0 {
		return &columnsError{"no column named value"}
	}
	for j, i := range c.labels {
		if i < 0 {
			return &columnsError{fmt.Sprintf("no column for label %q", labels[j])}
		}
	}
	return nil
}

func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}

// scan reads every row into reused buffers and hands the usable ones to visit.
func scan(rows *sql.Rows, c columns, visit Visit) (Stats, error) {
	var st Stats
	var v valueScanner
	raw := make([]sql.RawBytes, len(c.labels))
	labels := make([][]byte, len(c.labels))
	dest := make([]any, c.n)
	dest[c.value] = &v
	for j, i := range c.labels {
		dest[i] = &raw[j]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return st, err
		}
		st.Rows++
		if v.count(&st) || tooLong(raw, &st) {
			continue
		}
		for j := range raw {
			labels[j] = raw[j]
		}
		visit(labels, v.f)
	}
	return st, rows.Err()
}

// MaxLabelBytes bounds a label value. A longer one drops its row: a label value that long is
// a mistake (a text column declared as a label), and would make every scrape that large.
const MaxLabelBytes = 1024

// tooLong counts a row with a label value over MaxLabelBytes and reports whether it has one.
func tooLong(raw []sql.RawBytes, st *Stats) bool {
	for _, r := range raw {
		if len(r) > MaxLabelBytes {
			st.LongLabel++
			return true
		}
	}
	return false
}

// valueScanner accepts whatever the driver returns for the value column without failing the
// whole scan: NULL and non-numbers are flagged so the row alone is skipped.
type valueScanner struct {
	f         float64
	null, bad bool
}

// count adds a skipped row to st and reports whether it was skipped.
func (v *valueScanner) count(st *Stats) bool {
	switch {
	case v.null:
		st.Null++
	case v.bad:
		st.NonNumeric++
	default:
		return false
	}
	return true
}

// Scan implements sql.Scanner.
func (v *valueScanner) Scan(src any) error {
	v.null, v.bad = false, false
	switch x := src.(type) {
	case nil:
		v.null = true
	case float64:
		v.f = x
	case int64:
		v.f = float64(x)
	case []byte:
		v.parse(string(x))
	case string:
		v.parse(x)
	case bool:
		v.f = 0
		if x {
			v.f = 1
		}
	case time.Time:
		v.f = float64(x.UnixNano()) / 1e9
	default:
		v.bad = true
	}
	return nil
}

func (v *valueScanner) parse(s string) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	v.f, v.bad = f, err != nil
}
