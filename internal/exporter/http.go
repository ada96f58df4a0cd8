package exporter

import (
	"fmt"
	"net/http"

	"github.com/prometheus/exporter-toolkit/web"
)

// Mux routes the exporter's endpoints: /metrics, /-/healthy, /-/ready, /-/reload and the
// landing page at /.
func (e *Exporter) Mux(landing web.LandingConfig) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", e)
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "Healthy.") })
	mux.HandleFunc("/-/ready", e.serveReady)
	mux.HandleFunc("/-/reload", e.serveReload)
	if landing.Name != "" {
		page, err := web.NewLandingPage(landing)
		if err != nil {
			return nil, fmt.Errorf("landing page: %w", err)
		}
		mux.Handle("/", page)
	}
	return mux, nil
}

func (e *Exporter) serveReady(w http.ResponseWriter, _ *http.Request) {
	if !e.Ready() {
		http.Error(w, "Not ready: the first run of every query has not finished yet.", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "Ready.")
}

// serveReload answers 405 to anything but POST and 500 with the reason when the new
// configuration is refused (the old one keeps running).
func (e *Exporter) serveReload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "This endpoint requires a POST request.", http.StatusMethodNotAllowed)
		return
	}
	if err := e.Reload(); err != nil {
		http.Error(w, fmt.Sprintf("failed to reload config: %s", err), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, "Reloaded.")
}
