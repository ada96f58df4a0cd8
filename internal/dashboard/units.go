package dashboard

import "github.com/kpic/kpic/internal/definition"

// grafanaUnits maps the units users write to Grafana's unit ids, so values show as $, % or s.
var grafanaUnits = map[string]string{
	"count":   "short",
	"ratio":   "percentunit",
	"percent": "percent",
	"seconds": "s",
	"days":    "d",
	"dollars": "currencyUSD",
	"euros":   "currencyEUR",
	"pounds":  "currencyGBP",
	"bytes":   "bytes",
	"score":   "none",
}

// grafanaUnit returns the Grafana unit of a kpic unit; unknown or empty units show as plain numbers.
func grafanaUnit(unit string) string {
	if u, ok := grafanaUnits[unit]; ok {
		return u
	}
	return "short"
}

// Status colours, named as Grafana's palette names them so themes can adjust them.
const (
	colorGreen  = "green"
	colorAmber  = "orange"
	colorRed    = "red"
	colorTarget = "blue"
	colorBlind  = "transparent"
)

// changeColorMode colours the change against the previous period: a rise is good for
// higher-is-better KPIs and bad for lower-is-better ones.
func changeColorMode(k *definition.KPI) string {
	if k.Target.Direction == definition.Lower {
		return "inverted"
	}
	return "standard"
}
