//go:build unix

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// summary prints what runs where.
func (s *session) summary() {
	var b strings.Builder
	b.WriteString("\nThe kpic demo is running. Ctrl-C stops everything.\n\n")
	fmt.Fprintf(&b, "  %-16s %s (new visits, orders, sign-ups... every few seconds)\n", "database", s.db)
	for _, w := range s.where {
		fmt.Fprintf(&b, "  %-16s %s\n", w[0], w[1])
	}
	fmt.Fprintf(&b, "  %-16s %s\n", "logs", s.c.dir+"/logs/")
	if s.prometheusURL != "" {
		b.WriteString("\nWithin about two minutes churn_ratio turns red and its Slack message prints below.\n")
	}
	if s.scorecardURL != "" {
		fmt.Fprintf(&b, "Open the scorecard: %s\n", s.scorecardURL)
	}
	fmt.Fprintln(s.out, b.String())
}

// scoreboardEvery is how often the terminal shows the KPI statuses, when they changed.
const scoreboardEvery = 20 * time.Second

// scoreboard prints every KPI's status from Prometheus whenever it changes, until ctx ends.
func (s *session) scoreboard(ctx context.Context) {
	if s.prometheusURL == "" {
		return
	}
	tick := time.NewTicker(scoreboardEvery)
	defer tick.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if line := s.statusLine(ctx); line != "" && line != last {
			fmt.Fprintf(s.out, "%s KPIs: %s\n", time.Now().Format("15:04:05"), line)
			last = line
		}
	}
}

// statusNames are the words for kpi:status values.
var statusNames = map[string]string{"0": "green", "1": "amber", "2": "RED"}

// statusLine queries kpi:status and formats it as "kpi status, ..." sorted by KPI.
func (s *session) statusLine(ctx context.Context) string {
	u := s.prometheusURL + "/api/v1/query?query=" + url.QueryEscape("kpi:status")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return ""
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer func() { _ = resp.Body.Close() }()
	var r struct {
		Data struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return ""
	}
	var parts []string
	for _, x := range r.Data.Result {
		v, _ := x.Value[1].(string)
		parts = append(parts, x.Metric["kpi"]+" "+statusNames[v])
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
