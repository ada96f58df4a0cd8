package scorecard

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// data is what Prometheus says about every KPI at one instant: the recorded series, grouped by
// KPI and breakdown, read with one query per series name for all KPIs.
type data struct {
	kpis       map[string]*kpiData
	objStatus  map[string]float64
	objAttain  map[string]float64
	err        error // the instant queries failed: statuses are unknown
	historyErr error // the range query failed: sparklines are missing
}

// kpiData is one KPI's recorded series.
type kpiData struct {
	series   map[string]*seriesData // by breakdown key ("" without by)
	target   *float64
	critical *float64
	firing   int
}

// seriesData is one series of a KPI (one breakdown of a KPI with by).
type seriesData struct {
	key                                 string
	labels                              model.LabelSet // the by labels
	value, status, forecast, attainment *float64
	history                             []model.SamplePair
}

// recorded names the per-KPI series and where each goes.
var recorded = []struct {
	name   string
	perKPI bool // one series per KPI, never broken down
	set    func(*seriesData, *kpiData, float64)
}{
	{"kpi:value", false, func(s *seriesData, _ *kpiData, v float64) { s.value = &v }},
	{"kpi:status", false, func(s *seriesData, _ *kpiData, v float64) { s.status = &v }},
	{"kpi:forecast", false, func(s *seriesData, _ *kpiData, v float64) { s.forecast = &v }},
	{"kpi:attainment:ratio", false, func(s *seriesData, _ *kpiData, v float64) { s.attainment = &v }},
	{"kpi:target", true, func(_ *seriesData, k *kpiData, v float64) { k.target = &v }},
	{"kpi:critical", true, func(_ *seriesData, k *kpiData, v float64) { k.critical = &v }},
}

// fetchRequest says what to read: the selector of the project, when, and optionally the KPI
// whose series alone are read and the history window.
type fetchRequest struct {
	sel     selector
	at      time.Time
	kpi     string // "" for every KPI
	history v1.Range
	by      map[string][]string // each KPI's by labels, the labels that tell its series apart
}

// fetch runs the queries concurrently: one per series name for all KPIs (or for one KPI).
func (p *prom) fetch(ctx context.Context, req fetchRequest) *data {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	d := &data{kpis: map[string]*kpiData{}, objStatus: map[string]float64{}, objAttain: map[string]float64{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var errs []error
	run := func(fn func() error) {
		wg.Go(func() {
			if err := fn(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	match := kpiMatch(req.kpi)
	vectors := make([]model.Vector, len(recorded))
	for i, r := range recorded {
		run(func() (err error) { vectors[i], err = p.instant(ctx, req.sel.of(r.name, match...), req.at); return })
	}
	var objStatus, objAttain, alerts model.Vector
	run(func() (err error) { objStatus, err = p.instant(ctx, req.sel.of("objective:status"), req.at); return })
	run(func() (err error) {
		objAttain, err = p.instant(ctx, req.sel.of("objective:attainment:ratio"), req.at)
		return
	})
	run(func() (err error) {
		alerts, err = p.instant(ctx, req.sel.of("ALERTS", append([]string{"alertstate", "firing"}, match...)...), req.at)
		return
	})
	var history model.Matrix
	var historyErr error
	if !req.history.Start.IsZero() {
		wg.Go(func() { history, historyErr = p.series(ctx, req.sel.of("kpi:value", match...), req.history) })
	}
	wg.Wait()
	if len(errs) > 0 {
		d.err = errors.Join(errs...)
		return d
	}
	d.historyErr = historyErr
	d.fill(req.by, vectors, history)
	d.fillObjectives(objStatus, objAttain)
	d.fillAlerts(alerts)
	return d
}

func kpiMatch(kpi string) []string {
	if kpi == "" {
		return nil
	}
	return []string{"kpi", kpi}
}

// fill sorts the recorded series into KPIs and breakdowns.
func (d *data) fill(by map[string][]string, vectors []model.Vector, history model.Matrix) {
	for i, vec := range vectors {
		for _, s := range vec {
			if recorded[i].perKPI {
				if k := d.kpi(string(s.Metric["kpi"])); k != nil {
					recorded[i].set(nil, k, float64(s.Value))
				}
				continue
			}
			if k, sd := d.at(by, s.Metric); k != nil {
				recorded[i].set(sd, k, float64(s.Value))
			}
		}
	}
	for _, ss := range history {
		if _, sd := d.at(by, ss.Metric); sd != nil {
			sd.history = ss.Values
		}
	}
}

// at returns the KPI and breakdown a series belongs to, creating them.
func (d *data) at(by map[string][]string, m model.Metric) (*kpiData, *seriesData) {
	k := d.kpi(string(m["kpi"]))
	if k == nil {
		return nil, nil
	}
	labels := breakdown(by[string(m["kpi"])], m)
	key := labels.String()
	if len(labels) == 0 {
		key = ""
	}
	s := k.series[key]
	if s == nil {
		s = &seriesData{key: key, labels: labels}
		k.series[key] = s
	}
	return k, s
}

// breakdown keeps a series' by labels: whatever else the rules or Prometheus add (rules labels,
// external labels, joined info) does not split a KPI.
func breakdown(by []string, m model.Metric) model.LabelSet {
	out := model.LabelSet{}
	for _, k := range by {
		if v, ok := m[model.LabelName(k)]; ok {
			out[model.LabelName(k)] = v
		}
	}
	return out
}

func (d *data) fillObjectives(status, attain model.Vector) {
	for _, s := range status {
		d.objStatus[string(s.Metric["objective"])] = float64(s.Value)
	}
	for _, s := range attain {
		d.objAttain[string(s.Metric["objective"])] = float64(s.Value)
	}
}

func (d *data) fillAlerts(alerts model.Vector) {
	for _, s := range alerts {
		if k := d.kpi(string(s.Metric["kpi"])); k != nil {
			k.firing++
		}
	}
}

// kpi returns the data of the KPI named name, creating it; nil for series without a kpi label.
func (d *data) kpi(name string) *kpiData {
	if name == "" {
		return nil
	}
	k := d.kpis[name]
	if k == nil {
		k = &kpiData{series: map[string]*seriesData{}}
		d.kpis[name] = k
	}
	return k
}

// sorted returns a KPI's series, the one without breakdown first, then by labels.
func (k *kpiData) sorted() []*seriesData {
	if k == nil {
		return nil
	}
	out := make([]*seriesData, 0, len(k.series))
	for _, s := range k.series {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *seriesData) int { return strings.Compare(a.key, b.key) })
	return out
}
