package backfill

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/oklog/ulid/v2"
)

// OldestBlock returns where the oldest block already in dir starts (a Prometheus data folder,
// or the output of an earlier run); ok is false when dir holds no block. A default --to before
// it keeps new blocks from overlapping old ones.
func OldestBlock(dir string) (oldest time.Time, ok bool, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		if _, err := ulid.ParseStrict(e.Name()); err != nil || !e.IsDir() {
			continue
		}
		mint, err := blockStart(filepath.Join(dir, e.Name(), "meta.json"))
		if err != nil {
			return time.Time{}, false, err
		}
		if t := time.UnixMilli(mint); !ok || t.Before(oldest) {
			oldest, ok = t, true
		}
	}
	return oldest, ok, nil
}

func blockStart(meta string) (int64, error) {
	data, err := os.ReadFile(meta)
	if err != nil {
		return 0, fmt.Errorf("block: %w", err)
	}
	var m struct {
		MinTime int64 `json:"minTime"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return 0, fmt.Errorf("block %s: %w", meta, err)
	}
	return m.MinTime, nil
}
