package definition

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// settings checks the project-wide options.
func (c *checker) settings(s *Settings) {
	if !labelName.MatchString(s.Namespace) {
		c.errorf(s.At("namespace"), "invalid namespace %q: it prefixes metric names, so use a snake_case name like business", s.Namespace)
	} else if prefix, owner := ReservedPrefix(s.Namespace + "_"); prefix != "" {
		c.errorf(s.At("namespace"), "namespace %q names the exported gauges %s..., which collide with %s on kpic serve's /metrics; use another namespace, like business", s.Namespace, s.Namespace+"_", owner)
	}
	if s.Grafana.URL != "" {
		c.httpURL(s.Grafana.At("url"), "grafana url", s.Grafana.URL)
	}
	if s.KPIURL != "" {
		c.httpURL(s.At("kpi_url"), "kpi_url", s.KPIURL)
	}
	if !slices.Contains(RulesFormats, s.Rules.Format) {
		c.errorf(s.Rules.At("format"), "unknown rules format %q; use one of %s%s", s.Rules.Format, joinOr(RulesFormats), didYouMean(s.Rules.Format, RulesFormats))
	}
	for _, name := range sortedKeys(s.Rules.Labels) {
		c.labelName(s.Rules.At("labels"), "labels of rules settings", name)
		if slices.Contains(kpicSeriesLabels, name) || strings.HasPrefix(name, kpicSeriesLabelPrefix) {
			c.errorf(s.Rules.At("labels"), "label %q in labels of rules settings is one kpic writes on its own series (%s, %s*), which would hide it; rename it, for example to %q",
				name, strings.Join(kpicSeriesLabels, ", "), kpicSeriesLabelPrefix, "business_"+name)
		}
	}
	for key, v := range map[string]int{"series_limit": s.Exporter.SeriesLimit, "stale_intervals": s.Exporter.StaleIntervals} {
		if v < 0 {
			c.errorf(s.Exporter.At(key), "%s of exporter settings must be positive, got %d", key, v)
		}
	}
}

// kpicSeriesLabels are the labels of kpic's recorded series besides the reserved ones (kpi:info,
// kpi:alert:config and the alerts' own); a rules label of the same name would be overwritten on
// them, and with it the project's scope.
var kpicSeriesLabels = []string{"owner", "title", "unit", "direction", "forecast", "no_data_from"}

// kpicSeriesLabelPrefix starts the labels kpi:alert:config carries for the alerts' annotations.
const kpicSeriesLabelPrefix = "alert_"

// reservedPrefixes are the name prefixes of the series kpic serve publishes besides the
// exported gauges; a gauge starting with one could fake or break them.
var reservedPrefixes = []struct{ prefix, owner string }{
	{"kpic_", "kpic's own self-metrics (kpic_*)"},
	{"go_", "the Go runtime metrics (go_*)"},
	{"process_", "the process metrics (process_*)"},
	{"promhttp_", "the HTTP handler metrics (promhttp_*)"},
}

// ReservedPrefix returns the reserved prefix a series name starts with and what owns it, or
// "" when it starts with none.
func ReservedPrefix(name string) (prefix, owner string) {
	for _, r := range reservedPrefixes {
		if strings.HasPrefix(name, r.prefix) {
			return r.prefix, r.owner
		}
	}
	return "", ""
}

// RulesFormats are the values settings.rules.format accepts.
var RulesFormats = []string{"prometheus", "mimir", "thanos"}

// team checks a team: a name and a Slack channel its alerts go to.
func (c *checker) team(t *Team) {
	what := fmt.Sprintf("team %q", t.Name)
	c.required(t.Meta, what, "name", t.Name != "")
	c.idOK(t.Meta, "team", t.Name)
	if t.SlackChannel == "" && t.Has("slack_channel") {
		c.errorf(t.At("slack_channel"), "slack_channel of %s is empty; quote it, as in \"#growth\", since # starts a YAML comment", what)
		return
	}
	if !c.required(t.Meta, what, "slack_channel", t.SlackChannel != "") {
		return
	}
	if !slackChannel.MatchString(t.SlackChannel) && !slackChannelID.MatchString(t.SlackChannel) {
		c.errorf(t.At("slack_channel"), "invalid slack_channel %q in %s: use #name (lowercase letters, digits, - and _, up to 80) or a channel ID like C0123ABCD%s",
			t.SlackChannel, what, channelHint(t.SlackChannel))
	}
}

var (
	// httpURLPrefix is what an accepted link starts with; the JSON Schema uses it as the pattern.
	httpURLPrefix  = regexp.MustCompile(`^[hH][tT][tT][pP][sS]?://[^/?#\s]+`)
	slackChannel   = regexp.MustCompile(`^#[a-z0-9_][a-z0-9_-]{0,79}$`)
	slackChannelID = regexp.MustCompile(`^[CG][A-Z0-9]{8,20}$`)
)

// channelHint suggests the fixed channel when only the # or the case is wrong.
func channelHint(ch string) string {
	fixed := "#" + strings.ToLower(strings.TrimPrefix(ch, "#"))
	if slackChannel.MatchString(fixed) {
		return fmt.Sprintf("; did you mean %q?", fixed)
	}
	return ""
}

// objective checks an objective: title, owner and a period whose end is not before its start.
func (c *checker) objective(o *Objective) {
	what := fmt.Sprintf("objective %q", o.Name)
	c.required(o.Meta, what, "name", o.Name != "")
	c.idOK(o.Meta, "objective", o.Name)
	c.required(o.Meta, what, "title", o.Title != "")
	if c.required(o.Meta, what, "owner", o.Owner != "") {
		c.ref(o.Meta, "owner", what, "team", o.Owner)
	}
	if !c.required(o.Meta, what, "period", o.Has("period")) {
		return
	}
	p := o.Period
	if p.Pos.Line == 0 {
		return // written as something else than a mapping: reported while decoding
	}
	c.required(p.Meta, "period of "+what, "start", p.Has("start") || !p.Start.IsZero())
	c.required(p.Meta, "period of "+what, "end", p.Has("end") || !p.End.IsZero())
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start.Time) {
		c.errorf(p.At("end"), "period of %s ends (%s) before it starts (%s)", what, p.End.Format("2006-01-02"), p.Start.Format("2006-01-02"))
	}
}

// httpURL checks that a link is an absolute http or https URL.
func (c *checker) httpURL(p Pos, what, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !httpURLPrefix.MatchString(raw) {
		c.errorf(p, "%s must be an absolute http(s) URL like https://wiki.example.com/page, got %q", what, raw)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
