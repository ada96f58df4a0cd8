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
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e13 {
			return 0, fmt.Errorf("time %q is not Unix seconds", s)
		}
		return int64(math.Round(f * 1000)), nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, fmt.Errorf("time %q is neither a date, a timestamp nor Unix seconds", s)
}
