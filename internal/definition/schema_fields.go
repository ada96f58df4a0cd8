package definition

import (
	"regexp"
	"slices"
	"strings"
)

// fieldSpec is what the JSON Schema says about one field beyond its Go type: the description
// editors show on hover, and the constraints the loader's checks enforce, built from the same
// enums, patterns and bounds those checks use.
type fieldSpec struct {
	doc string
	// def is the default applied at load time when the field is not written.
	def any
	// required fields must be written; choice fields are one of a set the type's rules pick from.
	required, choice bool
	// value constrains text (and each name of a list of names, and the keys of a mapping).
	value func() map[string]any
	// notBlank free text must hold more than spaces.
	notBlank bool
	// unique lists may not repeat a name.
	unique   bool
	min, max *int
}

// typeSpec is what the JSON Schema says about an entity type: its description, and rules
// across its fields (exactly one of, only together with).
type typeSpec struct {
	doc   string
	rules func() []any
}

func ptr(i int) *int { return &i }

// Value constraints, each built from what the loader's checks use.

func enumOf(values []string) func() map[string]any {
	return func() map[string]any { return map[string]any{"type": "string", "enum": toAny(values)} }
}

func patterned(re *regexp.Regexp, message string) func() map[string]any {
	return func() map[string]any {
		return map[string]any{"type": "string", "pattern": re.String(), patternMessage: message}
	}
}

// namespaceValue is a namespace whose gauges stay clear of the reserved prefixes (settings).
func namespaceValue() map[string]any {
	var alts []string
	for _, r := range reservedPrefixes {
		alts = append(alts, strings.TrimSuffix(r.prefix, "_"))
	}
	return map[string]any{"type": "string", "pattern": labelName.String(), patternMessage: "a snake_case name like business",
		"not": map[string]any{"type": "string", "pattern": "^(" + strings.Join(alts, "|") + ")(_|$)", errorMessage: "reserved: kpic serve's own series use it"}}
}

// seriesNameValue is a metric or KPI name (seriesNameOK).
func seriesNameValue() map[string]any {
	return map[string]any{"type": "string", "pattern": seriesName.String(), patternMessage: "a lowercase snake_case name like active_customers",
		"not": map[string]any{"type": "string", "pattern": "^" + reservedLabelPrefix, errorMessage: "names starting with __ are reserved"}}
}

// labelValue is a label name that kpic does not reserve (labelName).
func labelValue() map[string]any { return labelExcept(reservedLabels) }

// rulesLabelValue is a label of settings.rules.labels: not reserved, and none of the labels
// kpic writes on its own series (check_misc.go).
func rulesLabelValue() map[string]any {
	return labelExcept(slices.Concat(reservedLabels, kpicSeriesLabels), kpicSeriesLabelPrefix)
}

// columnLabelValue is a label of a query's result: also not the value column (sqlQuery).
func columnLabelValue() map[string]any {
	return labelExcept(append([]string{valueColumn}, reservedLabels...))
}

func labelExcept(names []string, prefixes ...string) map[string]any {
	reserved, pattern := joinAnd(names), "^"+reservedLabelPrefix
	if len(prefixes) > 0 {
		for _, p := range prefixes {
			reserved += ", " + p + "*"
		}
		pattern = "^(" + strings.Join(append([]string{reservedLabelPrefix}, prefixes...), "|") + ")"
	}
	return map[string]any{"type": "string", "pattern": labelName.String(), patternMessage: "a label name: letters, digits and _, not starting with a digit",
		"not": map[string]any{"type": "string", errorMessage: "reserved here: " + reserved + " and __*", "anyOf": []any{
			map[string]any{"enum": toAny(names)},
			map[string]any{"pattern": pattern},
		}}}
}

// slackValue is a #channel or a channel ID (team).
func slackValue() map[string]any {
	message := "\"#lowercase-name\" (quoted) or a channel ID like C0123ABCD"
	return map[string]any{"type": "string", "anyOf": []any{
		map[string]any{"pattern": slackChannel.String(), patternMessage: message},
		map[string]any{"pattern": slackChannelID.String(), patternMessage: message},
	}}
}

// dsnValue is a DSN or a file name: any text that is not empty.
func dsnValue() map[string]any { return map[string]any{"type": "string", "minLength": 1} }

func toAny(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

var (
	entityIDValue = patterned(entityID, "lowercase letters, digits, _ and -, like grow_revenue")
	urlValue      = patterned(httpURLPrefix, "an absolute http(s) URL like https://wiki.example.com/page")
	unitValue     = enumOf(Units)
)

// fieldSpecs describes every field of the definition format, keyed by "Type.key". A test fails
// when a field of the model has no entry, so a new field cannot ship without its description.
var fieldSpecs = map[string]fieldSpec{
	"Model.settings":   {doc: "Project-wide options. At most one file of the folder has a settings section."},
	"Model.sources":    {doc: "SQL databases that metrics and KPIs are read from."},
	"Model.teams":      {doc: "Departments that own metrics and KPIs; each KPI's alerts go to its owner's Slack channel."},
	"Model.objectives": {doc: "Strategic goals with a time frame; every KPI measures progress toward one."},
	"Model.metrics":    {doc: "Measurable values of a business process, read by SQL (exported by kpic serve) or already in Prometheus (PromQL)."},
	"Model.kpis":       {doc: "Metrics promoted because they measure progress toward an objective: each has an owner, a target with a direction, and alerts."},

	"Settings.namespace":        {doc: "Prefix of every exported gauge: <namespace>_<metric>. Not kpic, go, process or promhttp (nor starting with one and _): those series are kpic serve's own.", def: DefaultNamespace, value: namespaceValue},
	"Settings.default_interval": {doc: "How often the query of a metric or KPI that sets no interval runs.", def: DefaultInterval.String()},
	"Settings.grafana":          {doc: "Where the dashboards live, for links in alerts and dashboards."},
	"Settings.kpi_url":          {doc: "Absolute http(s) URL of the page alerts link to (dashboard_url) for a KPI, {kpi} replaced by its name, e.g. https://kpis.example.com/kpi/{kpi}; unset, the Grafana KPI dashboard when grafana.url is set, else no link.", value: urlValue},
	"Settings.rules":            {doc: "How the generated Prometheus rule files are packaged and evaluated."},
	"Settings.alertmanager":     {doc: "Tuning of the generated Alertmanager routes and Slack receivers."},
	"Settings.exporter":         {doc: "Defaults of kpic serve, the exporter."},

	"Grafana.url":    {doc: "Absolute http(s) URL of Grafana, used for dashboard_url in alerts.", value: urlValue},
	"Grafana.folder": {doc: "Grafana folder of the provisioned dashboards."},

	"RulesSettings.format":          {doc: "Packaging of the rule files: prometheus, or also for the mimir or thanos ruler.", def: DefaultRulesFormat, value: enumOf(RulesFormats)},
	"RulesSettings.interval":        {doc: "Evaluation interval of the generated rule groups.", def: DefaultInterval.String()},
	"RulesSettings.forecast_window": {doc: "How much recent history the forecast extrapolates from.", def: DefaultForecastWindow.String()},
	"RulesSettings.labels":          {doc: "Labels added to every generated series and selector, so several kpic projects (tenants) can share one Prometheus.", value: rulesLabelValue},

	"Alertmanager.slack_api_url_file": {doc: "File Alertmanager reads the Slack webhook URL from.", def: DefaultSlackAPIURLFile},
	"Alertmanager.group_wait":         {doc: "How long Alertmanager waits to group the first alerts of a KPI; 0s sends at once.", def: "30s"},
	"Alertmanager.group_interval":     {doc: "How long Alertmanager waits before sending new alerts of a group.", def: "5m"},
	"Alertmanager.repeat_interval":    {doc: "How long Alertmanager waits before repeating a firing alert.", def: "4h"},

	"ExporterSettings.series_limit":    {doc: "Most series one query may publish; 0 takes the default.", def: DefaultSeriesLimit, min: ptr(0)},
	"ExporterSettings.stale_intervals": {doc: "How many missed intervals a failing query's last values survive before they are dropped; 0 takes the default.", def: DefaultStaleIntervals, min: ptr(0)},

	"Source.name":             {doc: "Name metrics refer to in their source field: lowercase letters, digits, _ and -.", required: true, value: entityIDValue},
	"Source.driver":           {doc: "Database driver: sqlite, postgres (PostgreSQL) or mysql (MySQL and MariaDB).", required: true, value: enumOf(Drivers())},
	"Source.dsn":              {doc: "Connection string; ${ENV} references are expanded when kpic serve connects. Never a literal password. Set dsn or dsn_file.", choice: true, value: dsnValue},
	"Source.dsn_file":         {doc: "File holding the connection string, such as a mounted secret. Set dsn or dsn_file.", choice: true, value: dsnValue},
	"Source.query_timeout":    {doc: "Bound of each query; the statement is cancelled in the database.", def: DefaultQueryTimeout.String()},
	"Source.max_open_conns":   {doc: "Bound of the connection pool.", def: DefaultMaxOpenConns, min: ptr(1)},
	"Source.allow_privileged": {doc: "Run queries even as a role that can reach the server's files or programs or bypass permissions (a PostgreSQL superuser, MySQL FILE or SUPER), which kpic serve otherwise refuses; postgres and mysql only. Prefer a read-only role.", def: false},

	"Team.name":          {doc: "Name owners and contributors refer to: lowercase letters, digits, _ and -.", required: true, value: entityIDValue},
	"Team.title":         {doc: "Display name on dashboards."},
	"Team.slack_channel": {doc: "Slack channel the team's KPI alerts go to: \"#lowercase-name\" (quoted: # starts a YAML comment) or a channel ID like C0123ABCD.", required: true, value: slackValue},

	"Objective.name":        {doc: "Name KPIs refer to in their objective field: lowercase letters, digits, _ and -.", required: true, value: entityIDValue},
	"Objective.title":       {doc: "The goal in words, such as: Grow recurring revenue 15% in 2026.", required: true, notBlank: true},
	"Objective.description": {doc: "Longer text shown on dashboards."},
	"Objective.owner":       {doc: "Team that answers for the objective.", required: true, value: entityIDValue},
	"Objective.period":      {doc: "The objective's time frame; ramp targets and forecasts use it.", required: true},

	"Period.start": {doc: "First day, YYYY-MM-DD.", required: true},
	"Period.end":   {doc: "Last day, inclusive, YYYY-MM-DD; not before start.", required: true},

	"Metric.name":         {doc: "Lowercase snake_case name; exported as <namespace>_<name>. End it with its base unit (_seconds, _bytes, _ratio, _dollars).", required: true, value: seriesNameValue},
	"Metric.help":         {doc: "What the metric measures; the HELP text of the exported gauge.", required: true, notBlank: true},
	"Metric.owner":        {doc: "Team that owns the metric.", value: entityIDValue},
	"Metric.unit":         {doc: "Unit of the value: ratio is a fraction (0.05 is 5%), percent is already multiplied by 100.", value: unitValue},
	"Metric.source":       {doc: "Source the query runs on; required with query.", value: entityIDValue},
	"Metric.query":        {doc: "SQL returning a numeric column named value and one column per label. Set query or expr.", choice: true, notBlank: true},
	"Metric.labels":       {doc: "Result columns that become labels; the column value is the sample.", value: columnLabelValue, unique: true},
	"Metric.interval":     {doc: "How often the query runs; default settings.default_interval."},
	"Metric.timeout":      {doc: "Bound of the query; default the source's query_timeout."},
	"Metric.series_limit": {doc: "Most series the query may publish; default settings.exporter.series_limit.", min: ptr(1)},
	"Metric.history":      {doc: "How kpic backfill reads the metric's past: a query returning time, the labels and value."},
	"Metric.expr":         {doc: "PromQL for a metric already in Prometheus. Set query or expr.", choice: true, notBlank: true},

	"KPI.name":         {doc: "Lowercase snake_case name, the kpi label of every generated series. End it with its base unit (_seconds, _ratio, _dollars).", required: true, value: seriesNameValue},
	"KPI.title":        {doc: "Display name on dashboards and in alerts; default the name."},
	"KPI.description":  {doc: "What the KPI means and how it is computed, shown on dashboards."},
	"KPI.objective":    {doc: "Objective the KPI measures progress toward.", required: true, value: entityIDValue},
	"KPI.owner":        {doc: "Team that answers for the KPI; its Slack channel gets the alerts.", required: true, value: entityIDValue},
	"KPI.contributors": {doc: "Other teams that track the KPI; it shows on their dashboards.", value: entityIDValue},
	"KPI.unit":         {doc: "Unit of the value, used to format it in dashboards and alerts: ratio is a fraction (0.05 is 5%), percent is already multiplied by 100.", value: unitValue},
	"KPI.source":       {doc: "Source the query runs on; only with query.", value: entityIDValue},
	"KPI.query":        {doc: "SQL computing the KPI, exported as <namespace>_<name>. One of query, metric, ratio, growth or expr.", choice: true, notBlank: true},
	"KPI.labels":       {doc: "Result columns of the query that become labels; only with query.", value: columnLabelValue, unique: true},
	"KPI.interval":     {doc: "How often the query runs; only with query; default settings.default_interval."},
	"KPI.timeout":      {doc: "Bound of the query; only with query; default the source's query_timeout."},
	"KPI.series_limit": {doc: "Most series the query may publish; only with query.", min: ptr(1)},
	"KPI.history":      {doc: "How kpic backfill reads the KPI's past; only with query."},
	"KPI.metric":       {doc: "Metric promoted to a KPI. One of query, metric, ratio, growth or expr.", choice: true, value: seriesNameValue},
	"KPI.ratio":        {doc: "sum(numerator) / sum(denominator), never an average of ratios. One of query, metric, ratio, growth or expr.", choice: true},
	"KPI.growth":       {doc: "Relative change of a metric over a window: (now - then) / then. One of query, metric, ratio, growth or expr.", choice: true},
	"KPI.expr":         {doc: "Any PromQL; kpic's own gauges are <namespace>_<name>. One of query, metric, ratio, growth or expr.", choice: true, notBlank: true},
	"KPI.by":           {doc: "Keep a breakdown by these labels instead of reducing the KPI to one series.", value: labelValue, unique: true},
	"KPI.target":       {doc: "Which direction is better, and a fixed value or a ramp from/to across the objective's period.", required: true},
	"KPI.critical":     {doc: "Bound beyond which the KPI is red; it lies on the bad side of the target."},
	"KPI.supporting":   {doc: "Metrics and KPIs that explain the KPI's moves; a warning when empty.", value: seriesNameValue},
	"KPI.alert":        {doc: "Tuning of the KPI's alerts: off target, critical, at risk and no data."},
	"KPI.dashboard":    {doc: "Tuning of the KPI's dashboard panels."},

	"History.query":   {doc: "SQL returning a column time (a date, a timestamp or Unix seconds), the labels and value; each row holds until the next of its series.", required: true, notBlank: true},
	"History.timeout": {doc: "Bound of the history query; default the timeout of its metric or KPI."},

	"Ratio.numerator":   {doc: "Metric or KPI summed above the line.", required: true, value: seriesNameValue},
	"Ratio.denominator": {doc: "Metric or KPI summed below the line.", required: true, value: seriesNameValue},

	"Growth.metric": {doc: "Metric or KPI whose change is measured.", required: true, value: seriesNameValue},
	"Growth.over":   {doc: "Window of the change, such as 30d.", required: true},

	"Target.direction": {doc: "higher: more is better; lower: less is better.", required: true, value: enumOf(directions)},
	"Target.value":     {doc: "Fixed target. Set value, or from and to.", choice: true},
	"Target.from":      {doc: "Target at the start of the objective's period; it moves linearly to to.", choice: true},
	"Target.to":        {doc: "Target at the end of the objective's period.", choice: true},

	"Alert.disabled":   {doc: "Turn the KPI's alerts off; its recording rules stay.", def: false},
	"Alert.for":        {doc: "How long the KPI must be amber or red before its alert fires; 0s fires at once.", def: DefaultAlertFor.String()},
	"Alert.runbook":    {doc: "Absolute http(s) URL of the runbook, the runbook_url annotation.", value: urlValue},
	"Alert.absent_for": {doc: "How long the KPI's data must be missing before the no-data alert fires.", def: DefaultAlertFor.String()},
	"Alert.forecast":   {doc: "The at-risk alert, when the forecast misses the final target; default on."},

	"KPIDashboard.decimals": {doc: "Decimals shown on the KPI's panels; unset lets Grafana choose.", min: ptr(0), max: ptr(MaxDecimals)},
}

// typeSpecs describes the entity types and the rules across their fields.
var typeSpecs = map[string]typeSpec{
	"Model":            {doc: "A kpic definitions file. Every *.yaml and *.yml file of the folder (except *_test.yaml) is merged into one model."},
	"Settings":         {doc: "Project-wide options."},
	"Grafana":          {doc: "Where the dashboards live."},
	"RulesSettings":    {doc: "How rule files are packaged and evaluated."},
	"Alertmanager":     {doc: "Alertmanager routes and receivers."},
	"ExporterSettings": {doc: "Defaults of kpic serve."},
	"Source":           {doc: "A SQL database that metrics are read from.", rules: sourceRules},
	"Team":             {doc: "A department that owns metrics and KPIs, and where its alerts go."},
	"Objective":        {doc: "A strategic goal with a time frame."},
	"Period":           {doc: "An objective's time frame, inclusive."},
	"Metric":           {doc: "A measurable value of a business process, read by SQL (query) or from Prometheus (expr).", rules: metricRules},
	"KPI":              {doc: "A metric that measures progress toward an objective: exactly one of query, metric, ratio, growth or expr.", rules: kpiRules},
	"Ratio":            {doc: "sum(numerator) / sum(denominator)."},
	"Growth":           {doc: "(now - then) / then of a metric over a window."},
	"History":          {doc: "The past of an SQL-backed series, for kpic backfill."},
	"Target":           {doc: "A direction, and a fixed value or a from/to ramp.", rules: targetRules},
	"Alert":            {doc: "Tuning of a KPI's alerts."},
	"KPIDashboard":     {doc: "Tuning of a KPI's panels."},
}

// exactlyOne says that exactly one of the groups of keys is written, each group whole.
func exactlyOne(message string, groups ...[]string) map[string]any {
	var branches []any
	for _, g := range groups {
		branches = append(branches, map[string]any{"required": toAny(g)})
	}
	return map[string]any{"oneOf": branches, errorMessage: message}
}

// ifThen is draft-07's if/then, which editors read as 2020-12 validators do.
func ifThen(cond, then map[string]any) map[string]any {
	return map[string]any{"if": cond, "then": then}
}

func requires(keys ...string) map[string]any { return map[string]any{"required": toAny(keys)} }

// forbids says that none of keys is written, and why.
func forbids(keys []string, why string) map[string]any {
	props := map[string]any{}
	for _, k := range keys {
		props[k] = map[string]any{"not": map[string]any{}, errorMessage: why}
	}
	return map[string]any{"properties": props}
}

func sourceRules() []any {
	sqlite := map[string]any{"required": []any{"driver"}, "properties": map[string]any{"driver": map[string]any{"const": "sqlite"}}}
	notTrue := map[string]any{"properties": map[string]any{"allow_privileged": map[string]any{"not": map[string]any{"const": true}}}}
	return []any{exactlyOne("set exactly one of dsn and dsn_file", []string{"dsn"}, []string{"dsn_file"}), ifThen(sqlite, notTrue)}
}

func metricRules() []any {
	return []any{
		exactlyOne("a metric is read by SQL (query) or from Prometheus (expr): set exactly one", []string{"query"}, []string{"expr"}),
		ifThen(requires("query"), requires("source")),
		ifThen(requires("expr"), forbids(queryOnlyFields, "only applies to a metric read by a query")),
	}
}

func kpiRules() []any {
	var groups [][]string
	for _, k := range kpiKinds {
		groups = append(groups, []string{string(k)})
	}
	return []any{
		exactlyOne("a KPI has exactly one of query, metric, ratio, growth or expr", groups...),
		ifThen(requires("query"), requires("source")),
		ifThen(map[string]any{"not": requires("query")}, forbids(queryOnlyFields, "only applies to a KPI computed by a query")),
	}
}

func targetRules() []any {
	return []any{
		exactlyOne("a target is a fixed value, or a ramp from and to", []string{"value"}, []string{"from", "to"}),
		ifThen(requires("from"), requires("to")),
		ifThen(requires("to"), requires("from")),
	}
}
