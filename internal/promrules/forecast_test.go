package promrules

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

func TestForecastWaitsForHalfTheWindowAtAnyInterval(t *testing.T) {
	tests := []struct {
		name             string
		window, interval time.Duration
		trend            time.Duration
		want             string
	}{
		{"a week of 30s evaluations reads an hourly trend and needs half a week of it", 7 * 24 * time.Hour, 30 * time.Second, time.Hour, ">= 84"},
		{"a week of 1m evaluations needs the same half week", 7 * 24 * time.Hour, time.Minute, time.Hour, ">= 84"},
		{"a day of 1m evaluations samples the trend every 9m", 24 * time.Hour, time.Minute, 514 * time.Second, ">= 85"},
		{"a day of 10m evaluations samples the trend every 10m", 24 * time.Hour, 10 * time.Minute, 10 * time.Minute, ">= 72"},
		{"an odd count rounds up", 3 * time.Hour, time.Hour, time.Hour, ">= 2"},
		{"a trend always needs two samples", time.Hour, time.Hour, time.Hour, ">= 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel()
			m.Settings.Rules.ForecastWindow = model.Duration(tt.window)
			m.Settings.Rules.Interval = model.Duration(tt.interval)
			expr := trendForecastExpr(m)
			if !strings.Contains(expr, "count_over_time("+q(m, seriesTrend)+"["+model.Duration(tt.window).String()+"]) "+tt.want) {
				t.Errorf("forecast does not require %s samples: %s", tt.want, expr)
			}
			if got := trendInterval(m); got != tt.trend {
				t.Errorf("trend interval %s, want %s", got, tt.trend)
			}
			reach := "last_over_time(" + q(m, seriesTrendForecast) + "[" + model.Duration(tt.trend+5*time.Minute).String() + "])"
			if f := forecastExpr(m); !strings.Contains(f, reach) {
				t.Errorf("forecast does not read the latest projection of a trend interval and 5m back (%s): %s", reach, f)
			}
		})
	}
}
