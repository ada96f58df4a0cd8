package scorecard

import (
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	pmodel "github.com/prometheus/common/model"
	"golang.org/x/net/html"
)

// elements returns the attributes of every element of the page that has attribute attr.
func elements(t *testing.T, body, attr string) []map[string]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			as := map[string]string{"": n.Data}
			for _, a := range n.Attr {
				as[a.Key] = a.Val
			}
			if _, ok := as[attr]; ok {
				out = append(out, as)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// prometheusStatuses reads the worst kpi:status of each KPI, or objective:status of each
// objective, of the acme project from the Prometheus API.
func prometheusStatuses(t *testing.T, url, series, label string) map[string]string {
	t.Helper()
	p, err := newProm(url, 5*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	vec, err := p.instant(context.Background(), `max by (`+label+`) (`+series+`{tenant="acme"})`, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range vec {
		v := float64(s.Value)
		out[string(s.Metric[pmodel.LabelName(label)])] = statusOf(&v).Name()
	}
	return out
}

func TestScorecardAgainstARealPrometheus(t *testing.T) {
	m, url := twoProjects(t)
	requests := &counter{next: http.DefaultTransport}
	sc, err := New(m, Options{PrometheusURL: url, Timeout: 5 * time.Second, Transport: requests})
	if err != nil {
		t.Fatal(err)
	}
	code, body, _ := get(t, sc, "/")
	if code != http.StatusOK {
		t.Fatalf("GET / = %d\n%s", code, body)
	}
	t.Run("the overview makes one query per series name, whatever the number of KPIs", func(t *testing.T) {
		if got := requests.n.Load(); got != 10 {
			t.Errorf("GET / made %d requests to Prometheus, want 10 (9 instant, 1 range)", got)
		}
	})
	t.Run("each KPI's data-status is its kpi:status, nodata without one", func(t *testing.T) {
		want := prometheusStatuses(t, url, "kpi:status", "kpi")
		got := elements(t, body, "data-kpi")
		if len(got) != len(m.KPIs) {
			t.Fatalf("%d elements with data-kpi, want one per KPI (%d)", len(got), len(m.KPIs))
		}
		for _, e := range got {
			w, ok := want[e["data-kpi"]]
			if !ok {
				w = "nodata"
			}
			if e["data-status"] != w {
				t.Errorf("KPI %s: data-status %q, Prometheus says %q", e["data-kpi"], e["data-status"], w)
			}
		}
		fixed := map[string]string{"revenue_dollars": "green", "churn_ratio": "amber", "plan_signups": "amber",
			"response_seconds": "red", "nps_score": "nodata"}
		for _, e := range got {
			if fixed[e["data-kpi"]] != e["data-status"] {
				t.Errorf("KPI %s: data-status %q, the catalog makes it %q", e["data-kpi"], e["data-status"], fixed[e["data-kpi"]])
			}
		}
	})
	t.Run("each objective's data-status is its objective:status", func(t *testing.T) {
		want := prometheusStatuses(t, url, "objective:status", "objective")
		got := elements(t, body, "data-objective")
		if len(got) != 2 {
			t.Fatalf("%d objectives on the page, want 2", len(got))
		}
		for _, e := range got {
			if e["data-status"] != want[e["data-objective"]] {
				t.Errorf("objective %s: data-status %q, Prometheus says %q", e["data-objective"], e["data-status"], want[e["data-objective"]])
			}
		}
	})
	t.Run("values are in the KPI's unit, the other project's never show", func(t *testing.T) {
		mustContain(t, body, "$123,456", "$100,000", "6%", "5%", "2h", "1h", "Grow the business", "Growth team", "33%")
		for _, bad := range []string{"Other revenue", "Other NPS", "$10<"} {
			if strings.Contains(body, bad) {
				t.Errorf("the acme page shows %q from the other project", bad)
			}
		}
	})
	t.Run("links go to Grafana and the runbook", func(t *testing.T) {
		mustContain(t, body, `href="https://grafana.example.com/d/kpic-kpi/kpi?var-kpi=revenue_dollars"`,
			`href="https://wiki.example.com/revenue"`, `href="https://grafana.example.com/d/kpic-scorecard"`)
		if strings.Contains(body, "kpis.example.com") {
			t.Error("the page links to settings.kpi_url (meant for alerts) instead of Grafana")
		}
	})
	t.Run("the KPI page charts value, target and critical and lists supporting metrics", func(t *testing.T) {
		code, page, _ := get(t, sc, "/kpi/revenue_dollars")
		if code != http.StatusOK {
			t.Fatalf("GET /kpi/revenue_dollars = %d", code)
		}
		kpis := elements(t, page, "data-kpi")
		if len(kpis) != 1 || kpis[0]["data-status"] != "green" {
			t.Fatalf("KPI page elements with data-kpi: %v, want one, green", kpis)
		}
		mustContain(t, page, `class="chart wide"`, `class="chart narrow"`, `class="target"`, `class="critical"`, "$90,000", "new_customers", ">42<")
	})
	t.Run("a KPI with a breakdown lists each series, worst first", func(t *testing.T) {
		_, page, _ := get(t, sc, "/kpi/plan_signups")
		rows := elements(t, page, "data-series-status")
		if len(rows) != 2 || rows[0]["data-series-status"] != "amber" || rows[1]["data-series-status"] != "green" {
			t.Errorf("breakdown rows %v, want amber (pro) then green (free)", rows)
		}
		mustContain(t, page, `plan=&#34;pro&#34;`)
	})
	t.Run("filters by team (owner or contributor), status and name", func(t *testing.T) {
		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"team=support", []string{"churn_ratio", "response_seconds", "nps_score"}},
			{"status=red", []string{"response_seconds"}},
			{"status=nodata", []string{"nps_score"}},
			{"q=CHURN", []string{"churn_ratio"}},
			{"q=sign-ups&team=growth", []string{"plan_signups"}},
			{"q=nothing-matches", nil},
		} {
			_, page, _ := get(t, sc, "/?"+tt.query)
			var got []string
			for _, e := range elements(t, page, "data-kpi") {
				got = append(got, e["data-kpi"])
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("?%s shows %v, want %v", tt.query, got, tt.want)
			}
		}
	})
	t.Run("another project's rules labels find none of these KPIs and the page says why", func(t *testing.T) {
		nobody := load(t, "testdata/acme")
		nobody.Settings.Rules.Labels = map[string]string{"tenant": "nobody"}
		sc, err := New(nobody, Options{PrometheusURL: url, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		_, page, _ := get(t, sc, "/")
		mustContain(t, page, "Prometheus has no kpi:* series of these definitions ({tenant=&#34;nobody&#34;})")
		for _, e := range elements(t, page, "data-kpi") {
			if e["data-status"] != "nodata" {
				t.Errorf("KPI %s shows %s from another project", e["data-kpi"], e["data-status"])
			}
		}
	})
	t.Run("large pages are gzipped for clients that accept it", func(t *testing.T) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate")
		sc.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q, want gzip", rec.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if len(elements(t, string(plain), "data-kpi")) != len(m.KPIs) {
			t.Error("the gzipped page lacks KPIs")
		}
	})
	t.Run("titles and URLs from the definitions are escaped", func(t *testing.T) {
		for _, path := range []string{"/", "/kpi/response_seconds"} {
			_, page, _ := get(t, sc, path)
			if strings.Contains(page, "<script") {
				t.Errorf("%s contains a script element from a KPI title or runbook", path)
			}
			mustContain(t, page, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; &#34;first response&#34;")
		}
	})
}

func TestUnreachablePrometheusSaysSoInsteadOfColours(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://user:s3cret@" + l.Addr().String()
	_ = l.Close() // nothing listens there now
	sc, err := New(load(t, "testdata/acme"), Options{PrometheusURL: url, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/kpi/revenue_dollars"} {
		code, body, _ := get(t, sc, path)
		if code != http.StatusServiceUnavailable {
			t.Errorf("GET %s = %d, want 503", path, code)
		}
		mustContain(t, body, "Prometheus is unreachable", `role="alert"`)
		if strings.Contains(body, "s3cret") {
			t.Errorf("GET %s shows the password of the Prometheus URL", path)
		}
		for _, e := range append(elements(t, body, "data-kpi"), elements(t, body, "data-objective")...) {
			if e["data-status"] != "nodata" {
				t.Errorf("GET %s: %v shows a status while Prometheus is unreachable", path, e)
			}
		}
	}
}

func TestPagesSetHeadersAndAnswerUnknownPathsWith404(t *testing.T) {
	sc, err := New(load(t, "testdata/acme"), Options{PrometheusURL: "http://127.0.0.1:1", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		code int
		ct   string
	}{
		{"/kpi/no_such_kpi", 404, "text/html; charset=utf-8"},
		{"/nothing/here", 404, "text/html; charset=utf-8"},
		{"/static/scorecard.css", 200, "text/css; charset=utf-8"},
	} {
		code, _, h := get(t, sc, tt.path)
		if code != tt.code || h.Get("Content-Type") != tt.ct {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, code, h.Get("Content-Type"), tt.code, tt.ct)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("GET %s: Content-Security-Policy %q", tt.path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", tt.path)
		}
	}
}

func TestNewRefusesABadPrometheusURL(t *testing.T) {
	for _, u := range []string{"", "localhost:9090", "ftp://x", "http://"} {
		if _, err := New(load(t, "testdata/acme"), Options{PrometheusURL: u}); err == nil {
			t.Errorf("New accepted --prometheus.url=%q", u)
		}
	}
}

// counter counts the requests to Prometheus.
type counter struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}
