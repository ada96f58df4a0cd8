package backfill

import "testing"

func TestParseTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64 // Unix ms
	}{
		{"2026-03-01", 1772323200000},
		{"2026-03-01T00:00:00Z", 1772323200000},
		{"2026-03-01T01:00:00+01:00", 1772323200000},
		{"2026-03-01 00:00:00", 1772323200000},
		{"2026-03-01 00:00:00.5", 1772323200500},
		{"2026-03-01 02:00:00+02", 1772323200000},
		{"1772323200", 1772323200000},
		{"1772323200.25", 1772323200250},
		{" 2026-03-01 ", 1772323200000},
	} {
		got, err := parseTime([]byte(c.in))
		if err != nil || got != c.want {
			t.Errorf("parseTime(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-02-30", "2026-13-01", "NaN", "Inf", "1e300", "2026/03/01"} {
		if got, err := parseTime([]byte(bad)); err == nil {
			t.Errorf("parseTime(%q) = %d, want an error", bad, got)
		}
	}
}
