package scorecard

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// prom reads the recorded KPI series from the Prometheus HTTP API. It only queries: the API
// calls it makes are /api/v1/query and /api/v1/query_range.
type prom struct {
	api     v1.API
	timeout time.Duration
	where   string // the server's URL without credentials, for messages
}

// newProm connects to the Prometheus at rawURL; each page's queries share one timeout.
func newProm(rawURL string, timeout time.Duration, rt http.RoundTripper) (*prom, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("prometheus url %q: want http(s)://host[:port][/path]", redact(rawURL))
	}
	if rt == nil {
		rt = api.DefaultRoundTripper
	}
	c, err := api.NewClient(api.Config{Address: rawURL, RoundTripper: rt})
	if err != nil {
		return nil, fmt.Errorf("prometheus client: %w", err)
	}
	return &prom{api: v1.NewAPI(c), timeout: timeout, where: u.Redacted()}, nil
}

// redact hides a password in a URL that may not parse.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "<unparsable url>"
}

// instant evaluates expr at ts and returns its series.
func (p *prom) instant(ctx context.Context, expr string, ts time.Time) (model.Vector, error) {
	v, _, _, err := p.api.Query(ctx, expr, ts)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", expr, err)
	}
	vec, ok := v.(model.Vector)
	if !ok {
		return nil, fmt.Errorf("query %s: got a %s, want an instant vector", expr, v.Type())
	}
	return vec, nil
}

// series evaluates expr over r and returns its series.
func (p *prom) series(ctx context.Context, expr string, r v1.Range) (model.Matrix, error) {
	v, _, _, err := p.api.QueryRange(ctx, expr, r)
	if err != nil {
		return nil, fmt.Errorf("query_range %s: %w", expr, err)
	}
	m, ok := v.(model.Matrix)
	if !ok {
		return nil, fmt.Errorf("query_range %s: got a %s, want a range vector", expr, v.Type())
	}
	return m, nil
}

// selector writes name{labels} with the project's rules labels and the extra matchers, so two
// projects sharing one Prometheus never read each other's KPIs.
type selector struct {
	labels map[string]string // settings.rules.labels
}

// of returns the selector for series name with extra equality matchers (name, value pairs).
func (s selector) of(name string, extra ...string) string {
	var m []string
	for _, k := range slices.Sorted(maps.Keys(s.labels)) {
		m = append(m, k+"="+strconv.Quote(s.labels[k]))
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m = append(m, extra[i]+"="+strconv.Quote(extra[i+1]))
	}
	if len(m) == 0 {
		return name
	}
	return name + "{" + strings.Join(m, ",") + "}"
}
