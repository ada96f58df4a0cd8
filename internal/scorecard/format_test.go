package scorecard

import (
	"math"
	"testing"
)

func TestValuesAreWrittenInTheirUnit(t *testing.T) {
	for _, tt := range []struct {
		v        float64
		unit     string
		decimals int
		want     string
	}{
		{0.05, "ratio", -1, "5%"},
		{0.08983, "ratio", -1, "8.98%"},
		{0.678, "ratio", -1, "67.8%"},
		{12.5, "percent", -1, "12.5%"},
		{112855.4, "dollars", -1, "$112,855"},
		{44.537, "dollars", -1, "$44.54"},
		{1250000, "dollars", -1, "$1.25M"},
		{-1200, "euros", -1, "-€1,200"},
		{99.5, "pounds", 0, "£100"},
		{0.85, "seconds", -1, "850ms"},
		{4.26, "seconds", -1, "4.3s"},
		{42, "seconds", -1, "42s"},
		{2658, "seconds", -1, "44m 18s"},
		{9000, "seconds", -1, "2h 30m"},
		{3600, "seconds", -1, "1h"},
		{190800, "seconds", -1, "2d 5h"},
		{1, "days", -1, "1 day"},
		{3.5, "days", -1, "3.5 days"},
		{1536, "bytes", -1, "1.5 KiB"},
		{512, "bytes", -1, "512 B"},
		{1234567, "count", -1, "1,234,567"},
		{45678901, "count", -1, "45.7M"},
		{35.456, "score", -1, "35.46"},
		{35.456, "score", 1, "35.5"},
		{-0.0001, "", -1, "0"},
		{math.NaN(), "ratio", -1, "NaN"},
		{math.Inf(1), "dollars", -1, "+Inf"},
	} {
		if got := formatValue(tt.v, tt.unit, tt.decimals); got != tt.want {
			t.Errorf("formatValue(%v, %q, %d) = %q, want %q", tt.v, tt.unit, tt.decimals, got, tt.want)
		}
	}
}

func TestAxisTicksAreRoundAndBracketTheValues(t *testing.T) {
	for _, tt := range []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0.0475, 0.0945, 4, []float64{0.04, 0.06, 0.08, 0.1}},
		{773350, 1360000, 4, []float64{600000, 800000, 1e6, 1.2e6, 1.4e6}},
		{0, 10, 4, []float64{0, 2.5, 5, 7.5, 10}},
	} {
		got := niceTicks(tt.lo, tt.hi, tt.n)
		if len(got) != len(tt.want) {
			t.Errorf("niceTicks(%v, %v) = %v, want %v", tt.lo, tt.hi, got, tt.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("niceTicks(%v, %v) = %v, want %v", tt.lo, tt.hi, got, tt.want)
				break
			}
		}
	}
}
