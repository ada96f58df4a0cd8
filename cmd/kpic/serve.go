package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/exporter"
	"github.com/kpic/kpic/internal/scorecard"
	"github.com/kpic/kpic/internal/source"
)

// defaultListenAddress uses the port kpic's deploy manifests expect (docs/serve.md says why).
const defaultListenAddress = ":10863"

// serveFlags are kpic serve's options, parsed by kingpin.
type serveFlags struct {
	configDir   *string
	configCheck *bool
	web         *web.FlagConfig
	log         promslog.Config
	scorecard   scorecardFlags
}

// scorecardFlags configure the scorecard page; it is served when prometheusURL is set.
type scorecardFlags struct {
	prometheusURL *string
	timeout       *time.Duration
}

// registerServe adds `kpic serve`, the exporter.
func registerServe(app *kingpin.Application, io streams, register func(string, func(context.Context) error)) {
	cmd := app.Command("serve", "Run the exporter: publish SQL-backed metrics as Prometheus gauges.")
	f := &serveFlags{
		configDir:   cmd.Flag("config.dir", "Folder of KPI definitions (*.yaml).").Default("kpis").String(),
		configCheck: cmd.Flag("config.check", "Validate the definitions and the sources' DSNs without connecting, then exit (kpic check --queries also runs the queries).").Bool(),
		web:         kingpinflag.AddFlags(cmd, defaultListenAddress),
		scorecard: scorecardFlags{
			prometheusURL: cmd.Flag("prometheus.url", "Prometheus evaluating the generated rules; when set, the scorecard page is served at /.").String(),
			timeout:       cmd.Flag("prometheus.timeout", "Time limit of the Prometheus queries behind one scorecard page.").Default("10s").Duration(),
		},
	}
	f.log.Level = promslog.NewLevel()
	cmd.Flag(promslogflag.LevelFlagName, promslogflag.LevelFlagHelp).Default("info").
		HintOptions(promslog.LevelFlagOptions...).SetValue(f.log.Level)
	f.log.Format = promslog.NewFormat()
	cmd.Flag(promslogflag.FormatFlagName, promslogflag.FormatFlagHelp).Default("logfmt").
		HintOptions(promslog.FormatFlagOptions...).SetValue(f.log.Format)
	register("serve", func(ctx context.Context) error { return serve(ctx, f, io) })
}

// serve runs the exporter until ctx ends.
func serve(ctx context.Context, f *serveFlags, io streams) error {
	f.log.Writer = io.stderr
	logger := promslog.New(&f.log)
	if *f.configCheck {
		return checkConfig(*f.configDir, io)
	}
	load := loader(*f.configDir, logger)
	m, err := load()
	if err != nil {
		return err
	}
	sc, err := newScorecard(m, f.scorecard, logger)
	if err != nil {
		return err
	}
	opts := exporter.Options{Logger: logger, Env: source.OSEnv(), Load: load}
	if sc != nil {
		opts.Applied = sc.SetModel
	}
	e := exporter.New(opts)
	if err := e.Apply(m); err != nil {
		return err
	}
	defer e.Close()
	logger.Info("starting kpic serve", "version", version.Info(), "build_context", version.BuildContext())
	return listen(ctx, e, sc, f.web, logger)
}

// loader reads the definitions; warnings are logged, errors refuse the configuration.
func loader(dir string, logger *slog.Logger) func() (*definition.Model, error) {
	return func() (*definition.Model, error) {
		m, diags := definition.Load(dir)
		if diags.HasErrors() {
			return nil, fmt.Errorf("loading %s: %w", dir, diags.Errors())
		}
		for _, d := range diags {
			logger.Warn("definition warning", "at", d.Pos.String(), "msg", d.Message)
		}
		return m, nil
	}
}

// checkConfig validates the definitions, printing their diagnostics as kpic check does, and
// opens (without connecting) every source, so an unset variable or unreadable dsn_file fails
// here rather than after a deploy. It runs no query: it is meant for where the databases may
// be unreachable (an image build, a pre-deploy hook); `kpic check --queries` tries them.
func checkConfig(dir string, io streams) error {
	m, err := load(io, dir)
	if err != nil {
		return err
	}
	for _, s := range m.Sources {
		src, err := source.Open(s, source.OSEnv())
		if err != nil {
			return err
		}
		src.Close()
	}
	_, err = fmt.Fprintf(io.stdout, "config OK: %d exported queries, %d sources (queries not run; `kpic check --queries` runs them)\n", len(m.Exported()), len(m.Sources))
	return err
}

// listen serves HTTP, reloads on SIGHUP, and shuts down gracefully when ctx ends.
func listen(ctx context.Context, e *exporter.Exporter, sc *scorecard.Scorecard, flags *web.FlagConfig, logger *slog.Logger) error {
	mux, err := routes(e, sc)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go reloadOnHUP(ctx, e, logger)
	done := make(chan error, 1)
	go func() { done <- web.ListenAndServe(srv, flags, logger) }()
	select {
	case err := <-done:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

func reloadOnHUP(ctx context.Context, e *exporter.Exporter, logger *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := e.Reload(); err != nil {
				logger.Error("reload failed, the previous configuration keeps running", "err", err)
			}
		}
	}
}

func landingConfig() web.LandingConfig {
	return web.LandingConfig{
		Name:        "kpic",
		Description: "KPIs as code: SQL-backed business metrics as Prometheus gauges",
		Version:     version.Info(),
		Links: []web.LandingLinks{
			{Address: "metrics", Text: "Metrics"},
			{Address: "-/healthy", Text: "Health"},
			{Address: "-/ready", Text: "Readiness"},
		},
	}
}
