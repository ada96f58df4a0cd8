package backfill

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/prometheus/prometheus/tsdb"
)

// store is a private TSDB in a temporary folder beside the output: samples are appended window
// by window, the rules query it (earlier windows included), and every completed block is cut
// from its head as soon as the head spans one and a half blocks, so memory holds about two
// blocks' worth of samples whatever the range. Blocks reach the output folder only when the
// run completes (finish), each by a rename, so an interrupted run leaves no partial block there.
type store struct {
	dir   string
	db    *tsdb.DB
	block int64 // ms
	// end is --to: the last block ends there, not at its aligned end, because Prometheus
	// refuses samples older than the end of its newest block ("out of bounds").
	end int64
}

func openStore(tmp string, block time.Duration, end int64) (*store, error) {
	opts := tsdb.DefaultOptions()
	opts.WALSegmentSize = -1 // no WAL: an interrupted run is thrown away, not replayed
	opts.MinBlockDuration = block.Milliseconds()
	opts.MaxBlockDuration = block.Milliseconds()
	opts.RetentionDuration = int64(100 * 365 * 24 * time.Hour / time.Millisecond)
	opts.NoLockfile = true
	opts.EnableOverlappingCompaction = false
	opts.IsolationDisabled = true // one writer, and queries only read committed windows
	dir := filepath.Join(tmp, "tsdb")
	db, err := tsdb.Open(dir, slog.New(slog.DiscardHandler), nil, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("open tsdb: %w", err)
	}
	db.DisableCompactions() // we cut blocks ourselves, in order, between windows
	return &store{dir: dir, db: db, block: block.Milliseconds(), end: end}, nil
}

// cut writes the head's completed blocks: those ending at or before upTo, which no later
// sample can reach.
func (s *store) cut(upTo int64) error {
	h := s.db.Head()
	for {
		mint := h.MinTime()
		if mint == int64(^uint64(0)>>1) || h.NumSeries() == 0 {
			return nil
		}
		start := floorTo(mint, s.block)
		end := min(start+s.block, s.end)
		if end > upTo || end <= start {
			return nil
		}
		if err := s.db.CompactHead(tsdb.NewRangeHead(h, start, end-1)); err != nil {
			return fmt.Errorf("write block: %w", err)
		}
		if h.MinTime() < end {
			return fmt.Errorf("write block: head still starts at %d after cutting up to %d", h.MinTime(), end)
		}
	}
}

// finish writes what is left in the head and moves every block into out.
func (s *store) finish(out string) ([]string, error) {
	if err := s.cut(int64(^uint64(0) >> 1)); err != nil {
		return nil, err
	}
	if err := s.db.Close(); err != nil {
		return nil, fmt.Errorf("close tsdb: %w", err)
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var moved []string
	for _, e := range entries {
		if _, err := ulid.ParseStrict(e.Name()); err != nil || !e.IsDir() {
			continue
		}
		if err := os.Rename(filepath.Join(s.dir, e.Name()), filepath.Join(out, e.Name())); err != nil {
			return moved, fmt.Errorf("move block %s: %w", e.Name(), err)
		}
		moved = append(moved, e.Name())
	}
	return moved, nil
}

// blocks counts the blocks written so far.
func (s *store) blocks() int { return len(s.db.Blocks()) }

func (s *store) close() { _ = s.db.Close() }
