package deploy

import (
	"sort"
	"strconv"
	"time"

	"github.com/prometheus/common/model"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/output"
)

// DefaultSlackAPIURLFile is where Alertmanager reads the Slack webhook URL from when
// settings.alertmanager.slack_api_url_file is not set.
const DefaultSlackAPIURLFile = "/etc/alertmanager/secrets/slack_api_url"

// Receiver names: one per team, and one for KPI alerts of a team without a channel.
const (
	receiverPrefix  = "kpic-"
	receiverDefault = "kpic-default"
)

// kpiMatcher selects KPI alerts: they, and only they, carry a non-empty kpi label.
const kpiMatcher = `kpi=~".+"`

// amConfig is the part of the Alertmanager configuration kpic writes. Only fields that
// Alertmanager 0.25 (Debian's) knows are used.
type amConfig struct {
	Route        *amRoute     `yaml:"route"`
	InhibitRules []amInhibit  `yaml:"inhibit_rules"`
	Receivers    []amReceiver `yaml:"receivers"`
	Templates    []string     `yaml:"templates"`
}

type amRoute struct {
	Receiver       string     `yaml:"receiver"`
	Matchers       []string   `yaml:"matchers,omitempty"`
	GroupBy        []string   `yaml:"group_by,omitempty"`
	GroupWait      string     `yaml:"group_wait,omitempty"`
	GroupInterval  string     `yaml:"group_interval,omitempty"`
	RepeatInterval string     `yaml:"repeat_interval,omitempty"`
	Routes         []*amRoute `yaml:"routes,omitempty"`
}

type amInhibit struct {
	SourceMatchers []string `yaml:"source_matchers"`
	TargetMatchers []string `yaml:"target_matchers"`
	Equal          []string `yaml:"equal"`
}

type amReceiver struct {
	Name         string    `yaml:"name"`
	SlackConfigs []amSlack `yaml:"slack_configs"`
}

type amSlack struct {
	SendResolved bool   `yaml:"send_resolved"`
	APIURLFile   string `yaml:"api_url_file"`
	Channel      string `yaml:"channel,omitempty"`
	Color        string `yaml:"color"`
	Title        string `yaml:"title"`
	TitleLink    string `yaml:"title_link"`
	Text         string `yaml:"text"`
}

// alertmanagerFiles writes a complete configuration, whose route.routes[0], receivers,
// inhibit_rules and templates are what users merge into their own (see docs/deploy.md).
func alertmanagerFiles(m *definition.Model, _ inputs) ([]output.File, error) {
	cfg := amConfig{
		Route:        &amRoute{Receiver: receiverDefault, Routes: []*amRoute{kpiRoute(m)}},
		InhibitRules: []amInhibit{warningWhileCritical(m)},
		Receivers:    receivers(m),
		Templates:    []string{"kpic.tmpl"},
	}
	data, err := marshal(generatedHeader, cfg)
	if err != nil {
		return nil, err
	}
	return []output.File{
		{Path: "deploy/alertmanager/alertmanager.yml", Data: data},
		{Path: "deploy/alertmanager/kpic.tmpl", Data: slackTemplateFile()},
	}, nil
}

// kpiRoute catches every KPI alert and hands it to its owner team's receiver, one Slack message
// per KPI and kind of alert (off target, at risk, no data) so that each resolves on its own.
func kpiRoute(m *definition.Model) *amRoute {
	am := m.Settings.Alertmanager
	r := &amRoute{
		Receiver:       receiverDefault,
		Matchers:       []string{kpiMatcher},
		GroupBy:        []string{"kpi", "alertname"},
		GroupWait:      duration(am.GroupWait, 30*time.Second),
		GroupInterval:  duration(am.GroupInterval, 5*time.Minute),
		RepeatInterval: duration(am.RepeatInterval, 4*time.Hour),
	}
	for _, t := range slackTeams(m) {
		r.Routes = append(r.Routes, &amRoute{Receiver: receiverPrefix + t.Name, Matchers: []string{"team=" + strconv.Quote(t.Name)}})
	}
	return r
}

// warningWhileCritical mutes a KPI's warnings while the same KPI is critical.
func warningWhileCritical(m *definition.Model) amInhibit {
	return amInhibit{
		SourceMatchers: []string{kpiMatcher, `severity="critical"`},
		TargetMatchers: []string{kpiMatcher, `severity="warning"`},
		Equal:          inhibitEqual(m),
	}
}

// inhibitEqual is kpi plus every breakdown label (by) of any KPI: Alertmanager counts a label
// absent from both alerts as equal, so one rule mutes a breakdown only by its own critical.
func inhibitEqual(m *definition.Model) []string {
	seen := map[string]bool{"kpi": true}
	var by []string
	for _, k := range m.KPIs {
		for _, l := range k.By {
			if !seen[l] {
				seen[l] = true
				by = append(by, l)
			}
		}
	}
	sort.Strings(by)
	return append([]string{"kpi"}, by...)
}

// receivers has one Slack receiver per team with a channel, and the default one, which posts to
// the webhook's own channel so that no KPI alert goes nowhere.
func receivers(m *definition.Model) []amReceiver {
	out := []amReceiver{{Name: receiverDefault, SlackConfigs: []amSlack{slackConfig(m, "")}}}
	for _, t := range slackTeams(m) {
		out = append(out, amReceiver{Name: receiverPrefix + t.Name, SlackConfigs: []amSlack{slackConfig(m, t.SlackChannel)}})
	}
	return out
}

func slackConfig(m *definition.Model, channel string) amSlack {
	return amSlack{
		SendResolved: true,
		APIURLFile:   slackAPIURLFile(m),
		Channel:      channel,
		Color:        use(tmplColor),
		Title:        use(tmplTitle),
		TitleLink:    use(tmplTitleLink),
		Text:         use(tmplText),
	}
}

func slackAPIURLFile(m *definition.Model) string {
	if f := m.Settings.Alertmanager.SlackAPIURLFile; f != "" {
		return f
	}
	return DefaultSlackAPIURLFile
}

// slackTeams are the teams alerts can be routed to, in definition order.
func slackTeams(m *definition.Model) []*definition.Team {
	var out []*definition.Team
	for _, t := range m.Teams {
		if t.SlackChannel != "" {
			out = append(out, t)
		}
	}
	return out
}

// duration formats d, or def when d is unset, the way Alertmanager writes durations.
func duration(d model.Duration, def time.Duration) string {
	if d == 0 {
		d = model.Duration(def)
	}
	return d.String()
}
