package main

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/exporter-toolkit/web"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/exporter"
	"github.com/kpic/kpic/internal/scorecard"
)

// newScorecard returns the scorecard page when --prometheus.url is set, or nil.
func newScorecard(m *definition.Model, f scorecardFlags, logger *slog.Logger) (*scorecard.Scorecard, error) {
	if *f.prometheusURL == "" {
		return nil, nil
	}
	sc, err := scorecard.New(m, scorecard.Options{PrometheusURL: *f.prometheusURL, Timeout: *f.timeout, Logger: logger})
	if err != nil {
		return nil, err
	}
	logger.Info("serving the scorecard at /", "prometheus", sc.Prometheus())
	return sc, nil
}

// routes are the exporter's endpoints, with the scorecard at / in place of the landing page
// when it is served (the scorecard links to the exporter's endpoints).
func routes(e *exporter.Exporter, sc *scorecard.Scorecard) (*http.ServeMux, error) {
	if sc == nil {
		return e.Mux(landingConfig())
	}
	mux, err := e.Mux(web.LandingConfig{})
	if err != nil {
		return nil, err
	}
	mux.Handle("/", sc)
	return mux, nil
}
