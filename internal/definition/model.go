// Package definition defines what users write in kpis/*.yaml: the types, their YAML loading with
// positions, defaults and validation. Compilers consume the validated *Model it returns.
package definition

import (
	"time"

	"github.com/prometheus/common/model"
)

// Model is the merged, defaulted and validated content of one definitions folder.
// Compilers treat it as read-only.
type Model struct {
	// The yaml tags name the top-level sections of a file; the JSON Schema is derived from them.
	Settings   Settings     `yaml:"settings"`
	Sources    []*Source    `yaml:"sources"`
	Teams      []*Team      `yaml:"teams"`
	Objectives []*Objective `yaml:"objectives"`
	Metrics    []*Metric    `yaml:"metrics"`
	KPIs       []*KPI       `yaml:"kpis"`
	// Files lists the loaded files, relative to the folder, sorted.
	Files []string `yaml:"-"`

	// names indexes metrics and KPIs by name for the lookups compilers make per KPI; Load
	// builds it once the model is complete. Models built in Go without it are scanned.
	names *nameIndex
}

// Meta records where an entity and each of its fields were written, so that errors found after
// loading (cross-references, semantics) still point at file:line:col.
type Meta struct {
	// Pos is the position of the entity itself (its first key).
	Pos Pos `yaml:"-"`
	// Fields maps a YAML key to the position of its value; items of a list of names are
	// recorded too, as "key[i]" (for example "supporting[1]").
	Fields map[string]Pos `yaml:"-"`
}

// At returns the position of the value of field key, or of the entity when the key is absent.
func (m Meta) At(key string) Pos {
	if p, ok := m.Fields[key]; ok {
		return p
	}
	return m.Pos
}

// Has reports whether the field key was written.
func (m Meta) Has(key string) bool {
	_, ok := m.Fields[key]
	return ok
}

// Settings holds project-wide options.
type Settings struct {
	Meta `yaml:"-"`
	// Namespace prefixes every exported gauge: <namespace>_<metric>. Default "business".
	Namespace string `yaml:"namespace"`
	// DefaultInterval is the query interval of metrics that set none. Default 1m.
	DefaultInterval model.Duration `yaml:"default_interval"`
	Grafana         Grafana        `yaml:"grafana"`
	// KPIURL is the page alerts link to for a KPI, {kpi} replaced by its name; unset, the
	// Grafana KPI dashboard when grafana.url is set, else no link.
	KPIURL       string           `yaml:"kpi_url"`
	Rules        RulesSettings    `yaml:"rules"`
	Alertmanager Alertmanager     `yaml:"alertmanager"`
	Exporter     ExporterSettings `yaml:"exporter"`
}

// Grafana says where the dashboards live, for links in alerts and dashboards.
type Grafana struct {
	Meta   `yaml:"-"`
	URL    string `yaml:"url"`
	Folder string `yaml:"folder"`
}

// RulesSettings chooses how rule files are packaged and evaluated.
type RulesSettings struct {
	Meta `yaml:"-"`
	// Format is prometheus (default), mimir or thanos.
	Format string `yaml:"format"`
	// Interval is the evaluation interval of the generated groups. Default 1m.
	Interval model.Duration `yaml:"interval"`
	// ForecastWindow is how much recent history the forecast extrapolates from. Default 7d.
	ForecastWindow model.Duration `yaml:"forecast_window"`
	// Labels are added to every generated rule (for example a tenant).
	Labels map[string]string `yaml:"labels"`
}

// Alertmanager configures the generated routes and receivers.
type Alertmanager struct {
	Meta `yaml:"-"`
	// SlackAPIURLFile is the file Alertmanager reads the Slack webhook URL from.
	// Default /etc/alertmanager/secrets/slack_api_url.
	SlackAPIURLFile string `yaml:"slack_api_url_file"`
	// GroupWait, GroupInterval and RepeatInterval tune the route; defaults 30s, 5m, 4h.
	GroupWait      model.Duration `yaml:"group_wait"`
	GroupInterval  model.Duration `yaml:"group_interval"`
	RepeatInterval model.Duration `yaml:"repeat_interval"`
}

// ExporterSettings are defaults for kpic serve.
type ExporterSettings struct {
	Meta `yaml:"-"`
	// SeriesLimit caps the series one query may publish. Default 10000.
	SeriesLimit int `yaml:"series_limit"`
	// StaleIntervals is how many missed intervals a failing query's values survive. Default 3.
	StaleIntervals int `yaml:"stale_intervals"`
}

// Source is a SQL database that metrics are read from.
type Source struct {
	Meta   `yaml:"-"`
	Name   string `yaml:"name"`
	Driver string `yaml:"driver"` // sqlite | postgres | mysql
	// DSN may contain ${ENV} references, expanded at use; never a literal password.
	DSN     Secret `yaml:"dsn"`
	DSNFile string `yaml:"dsn_file"`
	// QueryTimeout bounds each query. Default 30s.
	QueryTimeout model.Duration `yaml:"query_timeout"`
	// MaxOpenConns bounds the connection pool. Default 2.
	MaxOpenConns int `yaml:"max_open_conns"`
	// AllowPrivileged lets kpic serve run queries as a role that can reach the server's files
	// or programs or bypass permissions (a PostgreSQL superuser, MySQL FILE or SUPER), which
	// it otherwise refuses.
	AllowPrivileged bool `yaml:"allow_privileged"`
}

// Secret is a string that never prints: fmt and logs show <secret>.
type Secret string

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<secret>"
}

// GoString hides the value from %#v too.
func (s Secret) GoString() string { return s.String() }

// Team is a department that owns metrics and KPIs, and where its alerts go.
type Team struct {
	Meta         `yaml:"-"`
	Name         string `yaml:"name"`
	Title        string `yaml:"title"`
	SlackChannel string `yaml:"slack_channel"`
}

// Objective is a strategic goal with a time frame.
type Objective struct {
	Meta        `yaml:"-"`
	Name        string `yaml:"name"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Owner       string `yaml:"owner"`
	Period      Period `yaml:"period"`
}

// Period is an objective's time frame; End is the last day, inclusive.
type Period struct {
	Meta  `yaml:"-"`
	Start Date `yaml:"start"`
	End   Date `yaml:"end"`
}

// StartTime is the first instant of the period (UTC midnight of Start).
func (p Period) StartTime() time.Time { return p.Start.Time }

// EndTime is the instant the period ends: UTC midnight after End.
func (p Period) EndTime() time.Time { return p.End.AddDate(0, 0, 1) }

// Date is a calendar day, written YYYY-MM-DD.
type Date struct{ time.Time }

// Metric is any measurable value of a business process. It is read by SQL (Source and Query,
// exported by kpic serve as <namespace>_<name>) or is already in Prometheus (Expr).
type Metric struct {
	Meta        `yaml:"-"`
	Name        string         `yaml:"name"`
	Help        string         `yaml:"help"`
	Owner       string         `yaml:"owner"`
	Unit        string         `yaml:"unit"`
	Source      string         `yaml:"source"`
	Query       string         `yaml:"query"`
	Labels      []string       `yaml:"labels"`
	Interval    model.Duration `yaml:"interval"`
	Timeout     model.Duration `yaml:"timeout"`
	SeriesLimit int            `yaml:"series_limit"`
	// History reads the metric's past, for kpic backfill.
	History *History `yaml:"history"`
	// Expr is PromQL for a metric already in Prometheus.
	Expr string `yaml:"expr"`
}

// History is how kpic backfill reads the past of an SQL-backed series: Query returns a column
// `time` (an SQL date or timestamp, or Unix seconds), the series' label columns and `value`;
// each row's value holds from its time until the next row of the same series.
type History struct {
	Meta  `yaml:"-"`
	Query string `yaml:"query"`
	// Timeout bounds the history query. Default: the series' timeout (the source's).
	Timeout model.Duration `yaml:"timeout"`
}

// KPIKind says how a KPI's value is computed.
type KPIKind string

// The kinds of KPI; exactly one is set per KPI.
const (
	KindQuery  KPIKind = "query"
	KindMetric KPIKind = "metric"
	KindRatio  KPIKind = "ratio"
	KindGrowth KPIKind = "growth"
	KindExpr   KPIKind = "expr"
)

// kpiKinds lists the kinds in the order messages and the JSON Schema name them.
var kpiKinds = []KPIKind{KindQuery, KindMetric, KindRatio, KindGrowth, KindExpr}

// KPI is a metric promoted because it measures progress toward an objective.
type KPI struct {
	Meta         `yaml:"-"`
	Name         string   `yaml:"name"`
	Title        string   `yaml:"title"`
	Description  string   `yaml:"description"`
	Objective    string   `yaml:"objective"`
	Owner        string   `yaml:"owner"`
	Contributors []string `yaml:"contributors"`
	Unit         string   `yaml:"unit"`

	// Kind is derived at load time from which of the fields below is set.
	Kind KPIKind `yaml:"-"`
	// query kind: SQL exported by kpic serve as <namespace>_<name>.
	Source      string         `yaml:"source"`
	Query       string         `yaml:"query"`
	Labels      []string       `yaml:"labels"`
	Interval    model.Duration `yaml:"interval"`
	Timeout     model.Duration `yaml:"timeout"`
	SeriesLimit int            `yaml:"series_limit"`
	// History reads the KPI's past, for kpic backfill.
	History *History `yaml:"history"`
	// metric kind: promote an existing metric.
	Metric string `yaml:"metric"`
	// ratio kind: sum(numerator) / sum(denominator).
	Ratio *Ratio `yaml:"ratio"`
	// growth kind: relative change of a metric over a window.
	Growth *Growth `yaml:"growth"`
	// expr kind: plain PromQL.
	Expr string `yaml:"expr"`
	// By keeps a breakdown by these labels instead of reducing to one series.
	By []string `yaml:"by"`

	Target     Target       `yaml:"target"`
	Critical   *Number      `yaml:"critical"`
	Supporting []string     `yaml:"supporting"`
	Alert      Alert        `yaml:"alert"`
	Dashboard  KPIDashboard `yaml:"dashboard"`
}

// Ratio divides the sums of two metrics.
type Ratio struct {
	Meta        `yaml:"-"`
	Numerator   string `yaml:"numerator"`
	Denominator string `yaml:"denominator"`
}

// Growth is the relative change of a metric over a window: (now - then) / then.
type Growth struct {
	Meta   `yaml:"-"`
	Metric string         `yaml:"metric"`
	Over   model.Duration `yaml:"over"`
}

// Direction says whether more or less is better.
type Direction string

// Directions.
const (
	Higher Direction = "higher"
	Lower  Direction = "lower"
)

// directions are the values target.direction accepts.
var directions = []string{string(Higher), string(Lower)}

// Target is a fixed value or a ramp (From to To across the objective's period).
type Target struct {
	Meta      `yaml:"-"`
	Direction Direction `yaml:"direction"`
	Value     *Number   `yaml:"value"`
	From      *Number   `yaml:"from"`
	To        *Number   `yaml:"to"`
}

// IsRamp reports whether the target moves across the period.
func (t Target) IsRamp() bool { return t.From != nil && t.To != nil }

// Final is the target at the end of the period.
func (t Target) Final() Number {
	if t.IsRamp() {
		return *t.To
	}
	if t.Value == nil {
		return Number{}
	}
	return *t.Value
}

// Number keeps a number as written, so generated files show 0.999 and not 0.9990000000000001.
type Number struct {
	Value float64
	Text  string
}

// String returns the number as written.
func (n Number) String() string { return n.Text }

// Alert tunes a KPI's alerts.
type Alert struct {
	Meta `yaml:"-"`
	// Disabled turns off the KPI's alerts (its recording rules stay).
	Disabled bool `yaml:"disabled"`
	// For is how long the KPI must be amber or red before the alert fires. Default 15m.
	For model.Duration `yaml:"for"`
	// Runbook is a URL for the runbook_url annotation.
	Runbook string `yaml:"runbook"`
	// AbsentFor is how long missing data must last before the no-data alert fires. Default 15m.
	AbsentFor model.Duration `yaml:"absent_for"`
	// Forecast turns the "at risk" alert on (default true when the objective has a period).
	Forecast *bool `yaml:"forecast"`
}

// KPIDashboard tunes the KPI's dashboard panels.
type KPIDashboard struct {
	Meta `yaml:"-"`
	// Decimals shown in panels; unset lets Grafana choose.
	Decimals *int `yaml:"decimals"`
}

// Export is one SQL query kpic serve runs and publishes as the gauge <namespace>_<Name>.
// Interval, Timeout and SeriesLimit carry the defaults applied at load time.
type Export struct {
	Name        string
	Help        string
	Source      string
	Query       string
	Labels      []string
	Interval    model.Duration
	Timeout     model.Duration
	SeriesLimit int
	// History is the query of the series' past, nil when it has none.
	History *History
	Pos     Pos
}

// Units are the values `unit` accepts on metrics and KPIs. ratio is a fraction (0.05 is 5%),
// percent is already multiplied by 100, score is a bare number on a scale (NPS: -100 to 100).
var Units = []string{"count", "ratio", "percent", "seconds", "days", "dollars", "euros", "pounds", "bytes", "score"}
