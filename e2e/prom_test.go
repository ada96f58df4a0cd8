//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// getJSON decodes the data field of a Prometheus API answer into v.
func getJSON(base, path string, v any) error {
	resp, err := http.Get(base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r struct {
		Status string          `json:"status"`
		Error  string          `json:"error"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	if r.Status != "success" {
		return fmt.Errorf("%s: %s", path, r.Error)
	}
	return json.Unmarshal(r.Data, v)
}

// ruleGroup is the part of /api/v1/rules the test checks.
type ruleGroup struct {
	Name  string `json:"name"`
	File  string `json:"file"`
	Rules []struct {
		Name           string    `json:"name"`
		Health         string    `json:"health"`
		LastError      string    `json:"lastError"`
		LastEvaluation time.Time `json:"lastEvaluation"`
	} `json:"rules"`
}

// rules returns the loaded rule groups.
func rules(t *testing.T, base string) []ruleGroup {
	t.Helper()
	var data struct {
		Groups []ruleGroup `json:"groups"`
	}
	if err := getJSON(base, "/api/v1/rules", &data); err != nil {
		t.Fatalf("GET /api/v1/rules: %v", err)
	}
	return data.Groups
}

// query evaluates an instant query that must return at most one series; ok is false when it
// returns none.
func query(t *testing.T, base, expr string) (value float64, ok bool) {
	t.Helper()
	samples := vector(t, base, expr)
	switch len(samples) {
	case 0:
		return 0, false
	case 1:
		return samples[0].value, true
	}
	t.Fatalf("query %s: %d series, want one", expr, len(samples))
	return 0, false
}

// sample is one series of an instant query.
type sample struct {
	labels map[string]string
	value  float64
}

// vector evaluates an instant query and returns every series.
func vector(t *testing.T, base, expr string) []sample {
	t.Helper()
	var data struct {
		Result []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		} `json:"result"`
	}
	if err := getJSON(base, "/api/v1/query?query="+url.QueryEscape(expr), &data); err != nil {
		t.Fatalf("query %s: %v", expr, err)
	}
	out := make([]sample, 0, len(data.Result))
	for _, r := range data.Result {
		out = append(out, sample{labels: r.Metric, value: parseValue(t, expr, r.Value[1])})
	}
	return out
}

// parseValue reads a sample value of the Prometheus API, a number in a string.
func parseValue(t *testing.T, expr string, v any) float64 {
	t.Helper()
	s, _ := v.(string)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("query %s: value %q: %v", expr, s, err)
	}
	return f
}

// eventually polls cond every 500ms until it returns "" (done) or timeout passes; then it fails
// the test with the last reason cond gave.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		reason := cond()
		if reason == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %s", what, timeout, reason)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
