package promrules

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

func TestForecastWaitsForHalfTheWindow(t *testing.T) {
	tests := []struct {
		name             string
		window, interval time.Duration
		want             string
	}{
		{"a week of 30s evaluations needs half a week of samples", 7 * 24 * time.Hour, 30 * time.Second, ">= 10080"},
		{"an odd count rounds up", 3 * time.Hour, time.Hour, ">= 2"},
		{"a trend always needs two samples", time.Hour, time.Hour, ">= 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel()
			m.Settings.Rules.ForecastWindow = model.Duration(tt.window)
			m.Settings.Rules.Interval = model.Duration(tt.interval)
			k := m.KPI("revenue_dollars")
			expr := forecastExpr(m, m.Objective(k.Objective), k)
			if !strings.Contains(expr, "count_over_time("+m.RuleSeries(SeriesValue, k.Name)+"["+model.Duration(tt.window).String()+"]) "+tt.want) {
				t.Errorf("forecast does not require %s samples: %s", tt.want, expr)
			}
		})
	}
}
