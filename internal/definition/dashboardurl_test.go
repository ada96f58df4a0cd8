package definition

import "testing"

func TestDashboardURL(t *testing.T) {
	tests := []struct {
		name          string
		grafana, page string
		want          string
	}{
		{"no link without grafana.url or kpi_url", "", "", ""},
		{"the Grafana KPI dashboard when grafana.url is set", "https://grafana.example.com/", "", "https://grafana.example.com/d/kpic-kpi/kpi?var-kpi=mrr_dollars"},
		{"kpi_url wins, with the name filled in", "https://grafana.example.com", "https://kpis.example.com/kpi/{kpi}?from=alert", "https://kpis.example.com/kpi/mrr_dollars?from=alert"},
		{"a kpi_url without the placeholder links every KPI to one page", "", "https://wiki.example.com/kpis", "https://wiki.example.com/kpis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Model{Settings: Settings{Grafana: Grafana{URL: tt.grafana}, KPIURL: tt.page}}
			if got := m.DashboardURL("mrr_dollars"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
