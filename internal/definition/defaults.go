package definition

import (
	"time"

	"github.com/prometheus/common/model"
)

// Defaults applied at load time, each by the section that owns it.
const (
	DefaultNamespace       = "business"
	DefaultInterval        = model.Duration(time.Minute)
	DefaultQueryTimeout    = model.Duration(30 * time.Second)
	DefaultMaxOpenConns    = 2
	DefaultRulesFormat     = "prometheus"
	DefaultForecastWindow  = model.Duration(7 * 24 * time.Hour)
	DefaultAlertFor        = model.Duration(15 * time.Minute)
	DefaultSeriesLimit     = 10000
	DefaultStaleIntervals  = 3
	DefaultSlackAPIURLFile = "/etc/alertmanager/secrets/slack_api_url"
)

// mergeSettings keeps the one settings section of the folder; a second one is an error.
func mergeSettings(m *Model, found []*settingsAt, diags *Diagnostics) {
	for i, s := range found {
		if i == 0 {
			m.Settings = s.settings
			continue
		}
		*diags = append(*diags, Diagnostic{Pos: s.pos,
			Message: "settings defined again; the first settings section is at " + found[0].pos.String()})
	}
}

// applyDefaults fills every unset field that has a default, top-down so that metrics inherit
// from settings and from their source.
func applyDefaults(m *Model) {
	m.Settings.setDefaults()
	for _, s := range m.Sources {
		s.setDefaults()
	}
	timeouts := make(map[string]model.Duration, len(m.Sources))
	for _, s := range m.Sources {
		timeouts[s.Name] = s.QueryTimeout
	}
	q := queryDefaults{settings: &m.Settings, timeouts: timeouts}
	for _, x := range m.Metrics {
		q.apply(x.Source, &x.Interval, &x.Timeout, &x.SeriesLimit)
		x.History.setDefaults(x.Timeout)
	}
	for _, k := range m.KPIs {
		q.apply(k.Source, &k.Interval, &k.Timeout, &k.SeriesLimit)
		k.History.setDefaults(k.Timeout)
		k.Kind = k.kind()
		k.Alert.setDefaults()
		if k.Title == "" {
			k.Title = k.Name
		}
	}
}

func (s *Settings) setDefaults() {
	setString(&s.Namespace, DefaultNamespace)
	setDuration(&s.DefaultInterval, DefaultInterval)
	s.Rules.setDefaults()
	s.Alertmanager.setDefaults()
	setInt(&s.Exporter.SeriesLimit, DefaultSeriesLimit)
	setInt(&s.Exporter.StaleIntervals, DefaultStaleIntervals)
}

func (r *RulesSettings) setDefaults() {
	setString(&r.Format, DefaultRulesFormat)
	setDuration(&r.Interval, DefaultInterval)
	setDuration(&r.ForecastWindow, DefaultForecastWindow)
}

func (a *Alertmanager) setDefaults() {
	setString(&a.SlackAPIURLFile, DefaultSlackAPIURLFile)
	if !a.Has("group_wait") {
		a.GroupWait = model.Duration(30 * time.Second)
	}
	setDuration(&a.GroupInterval, model.Duration(5*time.Minute))
	setDuration(&a.RepeatInterval, model.Duration(4*time.Hour))
}

func (s *Source) setDefaults() {
	setDuration(&s.QueryTimeout, DefaultQueryTimeout)
	setInt(&s.MaxOpenConns, DefaultMaxOpenConns)
}

func (a *Alert) setDefaults() {
	if !a.Has("for") {
		a.For = DefaultAlertFor
	}
	if !a.Has("absent_for") {
		a.AbsentFor = DefaultAlertFor
	}
}

// queryDefaults fills the schedule of SQL-backed series from settings and their source.
type queryDefaults struct {
	settings *Settings
	timeouts map[string]model.Duration
}

func (q queryDefaults) apply(source string, interval, timeout *model.Duration, limit *int) {
	setDuration(interval, q.settings.DefaultInterval)
	if t, ok := q.timeouts[source]; ok {
		setDuration(timeout, t)
	}
	setDuration(timeout, DefaultQueryTimeout)
	setInt(limit, q.settings.Exporter.SeriesLimit)
}

// kind derives how the KPI is computed from the first kind field set (validation reports several).
func (k *KPI) kind() KPIKind {
	if kinds := k.kindsSet(); len(kinds) > 0 {
		return kinds[0]
	}
	return ""
}

// kindsSet lists every kind whose field the KPI sets, in the order of the KPIKind constants.
func (k *KPI) kindsSet() []KPIKind {
	var out []KPIKind
	for _, c := range []struct {
		kind KPIKind
		set  bool
	}{
		{KindQuery, k.Query != "" || k.Has("query")}, {KindMetric, k.Metric != "" || k.Has("metric")},
		{KindRatio, k.Ratio != nil || k.Has("ratio")}, {KindGrowth, k.Growth != nil || k.Has("growth")},
		{KindExpr, k.Expr != "" || k.Has("expr")},
	} {
		if c.set {
			out = append(out, c.kind)
		}
	}
	return out
}

func setString(s *string, def string) {
	if *s == "" {
		*s = def
	}
}

func setDuration(d *model.Duration, def model.Duration) {
	if *d == 0 {
		*d = def
	}
}

func setInt(i *int, def int) {
	if *i == 0 {
		*i = def
	}
}

// setDefaults gives a history query the timeout of its series, which has the source's.
func (h *History) setDefaults(timeout model.Duration) {
	if h != nil {
		setDuration(&h.Timeout, timeout)
	}
}
