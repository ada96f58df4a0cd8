package backfill

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the textual forms a `time` column arrives in: drivers hand dates and
// timestamps over as RFC 3339 (database/sql's rendering of a time.Time) or as the database
// writes them (MySQL and SQLite text). A time without a zone is UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-07",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// parseTime reads a `time` column: an SQL date or timestamp, or Unix seconds. It returns Unix
// milliseconds.
func parseTime(b []byte) (int64, error) {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return 0, fmt.Errorf("empty time")
	}
	if t, ok := parseDate(s); ok {
		return t, nil
	}
	if !strings.ContainsAny(s, "-:") {
		return unixSeconds(s)
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, fmt.Errorf("time %q is neither a date, a timestamp nor Unix seconds", s)
}

// unixSeconds reads Unix seconds, possibly with a fraction.
func unixSeconds(s string) (int64, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e13 {
			return 0, fmt.Errorf("time %q is not Unix seconds", s)
		}
		return int64(math.Round(f * 1000)), nil
	}
	return 0, fmt.Errorf("time %q is neither a date, a timestamp nor Unix seconds", s)
}

// parseDate reads YYYY-MM-DD, the common case of daily history, without time.Parse's cost.
func parseDate(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2026-02-30
		return 0, false
	}
	return t.UnixMilli(), true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
