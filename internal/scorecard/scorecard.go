// Package scorecard serves the KPI scorecard page of kpic serve: where every objective and KPI
// stands, read from the recorded kpi:* series in Prometheus and rendered on the server, so the
// page needs no JavaScript and business owners need no Grafana.
package scorecard

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kpic/kpic/internal/definition"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the scorecard.
type Options struct {
	// PrometheusURL is the Prometheus (or compatible API) that evaluates the generated rules.
	PrometheusURL string
	// Timeout bounds all the queries of one page. Default 10s.
	Timeout time.Duration
	Logger  *slog.Logger
	// Now is the clock; tests set it. Default time.Now.
	Now func() time.Time
	// Transport is the HTTP transport to Prometheus; default the client library's.
	Transport http.RoundTripper
}

// Scorecard is the scorecard's HTTP handler: / is the overview, /kpi/<name> a KPI's page.
type Scorecard struct {
	opts  Options
	prom  *prom
	model atomic.Pointer[definition.Model]
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New returns a scorecard for the definitions m, reading from opts.PrometheusURL.
func New(m *definition.Model, opts Options) (*Scorecard, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p, err := newProm(opts.PrometheusURL, opts.Timeout, opts.Transport)
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Scorecard{opts: opts, prom: p, pages: pages}
	s.SetModel(m)
	s.routes()
	return s, nil
}

// SetModel replaces the definitions the pages show, after a reload.
func (s *Scorecard) SetModel(m *definition.Model) { s.model.Store(m) }

func (s *Scorecard) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /{$}", s.serveOverview)
	s.mux.HandleFunc("GET /kpi/{name}", s.serveKPI)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("/", s.serveNotFound)
}

// ServeHTTP sets the security headers of every answer and routes the request.
func (s *Scorecard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{"statuses": func() []status { return statuses }}
	pages := map[string]*template.Template{}
	for _, name := range []string{"overview", "kpi", "notfound"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("scorecard template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render executes a page into memory first, so a template error is a clean 500.
// Pages larger than gzipAbove are compressed for clients that accept it: the overview of 1,000
// KPIs is about 2 MB of HTML and a tenth of that compressed.
func (s *Scorecard) render(w http.ResponseWriter, r *http.Request, page string, code int, v any) {
	var buf bytes.Buffer
	if err := s.pages[page].Execute(&buf, v); err != nil {
		s.opts.Logger.Error("scorecard page failed", "page", page, "err", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept-Encoding")
	if buf.Len() < gzipAbove || !acceptsGzip(r) {
		w.WriteHeader(code)
		_, _ = w.Write(buf.Bytes())
		return
	}
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(code)
	gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	_, _ = gz.Write(buf.Bytes())
	_ = gz.Close()
}

const gzipAbove = 8 << 10

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// page is what every page shows around its content.
type page struct {
	Title      string
	Root       string // relative path to /
	Now        time.Time
	Prometheus string
	Error      string // Prometheus could not be read: why
	Warning    string // part of the data is missing: why
	Grafana    []grafanaLink
	Refresh    int
}

func (s *Scorecard) newPage(title, root string, r *http.Request, m *definition.Model, d *data) page {
	p := page{Title: title, Root: root, Now: s.opts.Now().UTC(), Prometheus: s.prom.where, Grafana: scorecardLinks(m),
		Refresh: refresh(r)}
	if d != nil && d.err != nil {
		s.opts.Logger.Warn("scorecard cannot read Prometheus", "err", d.err)
		p.Error = unreachable(d.err)
	} else if d != nil && d.historyErr != nil {
		p.Warning = "History could not be read from Prometheus: " + firstLine(d.historyErr)
	}
	return p
}

// code is 503 when Prometheus could not be read, so monitors of the page see it too.
func code(d *data) int {
	if d.err != nil {
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}

func unreachable(err error) string {
	return "Prometheus could not be read, so no status is shown: " + firstLine(err)
}

// firstLine keeps the first of joined errors.
func firstLine(err error) string {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) && len(j.Unwrap()) > 0 {
		err = j.Unwrap()[0]
	}
	return err.Error()
}

func (s *Scorecard) serveNotFound(w http.ResponseWriter, r *http.Request) {
	m := s.model.Load()
	root := rootOf(r.URL.Path)
	s.render(w, r, "notfound", http.StatusNotFound, struct{ page }{s.newPage("Not found", root, r, m, nil)})
}

// rootOf returns the relative path from a request path back to /.
func rootOf(path string) string {
	n := 0
	for _, c := range path[1:] {
		if c == '/' {
			n++
		}
	}
	if n == 0 {
		return "./"
	}
	root := ""
	for range n {
		root += "../"
	}
	return root
}

// Prometheus is the URL the scorecard reads, without credentials.
func (s *Scorecard) Prometheus() string { return s.prom.where }
