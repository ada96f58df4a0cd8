package deploy

import (
	"github.com/kpic/kpic/internal/definition"
)

// SlackSecret holds the Slack webhook URL (key url) for the AlertmanagerConfig; users create it.
const SlackSecret = "kpic-slack"

type matcher struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	MatchType string `yaml:"matchType"`
}

// alertmanagerConfigObject is the routes, receivers and inhibit rule of alertmanager.yml as a
// prometheus-operator AlertmanagerConfig (v1alpha1). The operator confines it to alerts of its
// own namespace, so it routes the KPI alerts of the namespace kpic's rules are applied in.
func alertmanagerConfigObject(m *definition.Model) object {
	cfg := kpiRoute(m)
	route := map[string]any{
		"receiver":       cfg.Receiver,
		"matchers":       []matcher{kpiMatch()},
		"groupBy":        cfg.GroupBy,
		"groupWait":      cfg.GroupWait,
		"groupInterval":  cfg.GroupInterval,
		"repeatInterval": cfg.RepeatInterval,
	}
	var routes []any
	for _, t := range slackTeams(m) {
		routes = append(routes, map[string]any{"receiver": receiverPrefix + t.Name, "matchers": []matcher{{Name: "team", Value: t.Name, MatchType: "="}}})
	}
	if len(routes) > 0 {
		route["routes"] = routes
	}
	return object{
		APIVersion: "monitoring.coreos.com/v1alpha1", Kind: "AlertmanagerConfig",
		Metadata: meta{Name: appName, Labels: appLabels()},
		Spec: map[string]any{
			"route":        route,
			"receivers":    operatorReceivers(m),
			"inhibitRules": []any{operatorInhibit(m)},
		},
	}
}

func kpiMatch() matcher { return matcher{Name: "kpi", Value: ".+", MatchType: "=~"} }

func operatorInhibit(m *definition.Model) map[string]any {
	return map[string]any{
		"sourceMatch": []matcher{kpiMatch(), {Name: "severity", Value: "critical", MatchType: "="}},
		"targetMatch": []matcher{kpiMatch(), {Name: "severity", Value: "warning", MatchType: "="}},
		"equal":       inhibitEqual(m),
	}
}

func operatorReceivers(m *definition.Model) []any {
	out := []any{operatorReceiver(receiverDefault, "")}
	for _, t := range slackTeams(m) {
		out = append(out, operatorReceiver(receiverPrefix+t.Name, t.SlackChannel))
	}
	return out
}

// operatorReceiver inlines the Slack templates: an AlertmanagerConfig cannot load kpic.tmpl.
func operatorReceiver(name, channel string) map[string]any {
	slack := map[string]any{
		"apiURL":       secretKeyRef{Name: SlackSecret, Key: "url"},
		"sendResolved": true,
		"color":        slackColor,
		"title":        slackTitle,
		"titleLink":    slackTitleLink,
		"text":         slackText,
	}
	if channel != "" {
		slack["channel"] = channel
	}
	return map[string]any{"name": name, "slackConfigs": []any{slack}}
}
