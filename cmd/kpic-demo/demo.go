//go:build unix

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the demo database

	"github.com/kpic/kpic/internal/demo"
	"github.com/kpic/kpic/internal/demo/stack"
)

// config is the demo's flags.
type config struct {
	dir, kpis, kpic          string
	prometheus, alertmanager string
	slackURL                 string
	seed                     uint64
	databaseOnly             bool
}

// grace is how long a child gets to exit on SIGTERM before it is killed.
const grace = 10 * time.Second

// session is one run of the demo: what it started, to stop it all at the end.
type session struct {
	c             config
	out           io.Writer
	db            string // absolute path of the SQLite file
	procs         []*stack.Proc
	stops         []func() error
	prometheusURL string
	promAddr      string // reserved for Prometheus before kpic serve starts
	scorecardURL  string
	where         [][2]string // what runs where, for the summary
}

// runDemo starts everything, waits for ctx (Ctrl-C) or a failure, then stops everything.
func runDemo(ctx context.Context, c config, out io.Writer) (err error) {
	s := &session{c: c, out: out}
	defer func() { err = errors.Join(err, s.stop()) }()
	if err := s.prepare(); err != nil {
		return err
	}
	db, err := s.seed(ctx)
	if err != nil {
		return err
	}
	if c.databaseOnly {
		fmt.Fprintf(out, "Run kpic on it with: export KPIC_DEMO_DB=%s\n", s.db)
		return nil
	}
	if err := s.start(ctx); err != nil {
		return err
	}
	return s.wait(ctx, db)
}

// prepare makes the demo folder absolute and creates it.
func (s *session) prepare() error {
	dir, err := filepath.Abs(s.c.dir)
	if err != nil {
		return fmt.Errorf("demo folder: %w", err)
	}
	s.c.dir = dir
	s.db = filepath.Join(dir, "shop.db")
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return fmt.Errorf("create demo folder: %w", err)
	}
	return nil
}

// seed creates a fresh database with a year of history up to now.
func (s *session) seed(ctx context.Context) (*sql.DB, error) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(s.db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("remove old demo database: %w", err)
		}
	}
	db, err := sql.Open("sqlite", s.db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, fmt.Errorf("open demo database: %w", err)
	}
	s.stops = append(s.stops, db.Close)
	start := time.Now()
	fmt.Fprintf(s.out, "Seeding the demo company's database %s ...", s.db)
	if err := demo.Seed(ctx, db, start, rand.New(rand.NewPCG(s.c.seed, 1))); err != nil {
		return nil, err
	}
	fmt.Fprintf(s.out, " done in %.1fs.\n", time.Since(start).Seconds())
	return db, nil
}

// wait runs the live activity until ctx ends, a child exits, or the activity fails.
func (s *session) wait(ctx context.Context, db *sql.DB) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- demo.Run(runCtx, db, rand.New(rand.NewPCG(s.c.seed, 2))) }()
	go s.scoreboard(runCtx)
	var err error
	select {
	case <-ctx.Done():
		fmt.Fprintln(s.out, "\nStopping the demo ...")
	case p := <-s.exited(runCtx):
		err = fmt.Errorf("%s exited (%s); its log %s ends with:\n%s", p.Name, p.ExitStatus(), p.Log, p.LogTail(15))
	case err = <-ran:
		return err
	}
	cancel()
	return errors.Join(err, <-ran)
}

// exited delivers the first child that exits.
func (s *session) exited(ctx context.Context) <-chan *stack.Proc {
	ch := make(chan *stack.Proc, len(s.procs))
	for _, p := range s.procs {
		go func() {
			select {
			case <-p.Done():
				ch <- p
			case <-ctx.Done():
			}
		}()
	}
	return ch
}

// stop stops the children (last started first), then the in-process parts.
func (s *session) stop() error {
	err := stack.StopAll(s.procs, grace)
	for i := len(s.stops) - 1; i >= 0; i-- {
		err = errors.Join(err, s.stops[i]())
	}
	if len(s.procs) > 0 {
		fmt.Fprintln(s.out, "Everything the demo started has stopped.")
	}
	return err
}
