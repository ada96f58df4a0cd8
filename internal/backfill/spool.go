package backfill

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
)

// row is one history row, reduced to its series, its time (Unix ms) and its value.
type row struct {
	series uint32
	t      int64
	v      float64
}

const rowSize = 20

// spool files history rows by time window on disk, so that rows may come in any order and
// still be read back one window at a time: memory holds at most maxBuffered bytes of rows,
// never the whole history.
type spool struct {
	dir         string
	window      int64 // ms
	buf         map[int64][]byte
	buffered    int
	maxBuffered int
}

func newSpool(dir string, window int64, maxBuffered int) (*spool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &spool{dir: dir, window: window, buf: map[int64][]byte{}, maxBuffered: maxBuffered}, nil
}

// bucket is the start of the window holding time t.
func (s *spool) bucket(t int64) int64 { return floorTo(t, s.window) }

// add files r under its window, flushing the buffers to disk once they hold too much.
func (s *spool) add(r row) error {
	b := s.bucket(r.t)
	buf := s.buf[b]
	buf = binary.LittleEndian.AppendUint32(buf, r.series)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(r.t))
	buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(r.v))
	s.buf[b] = buf
	if s.buffered += rowSize; s.buffered >= s.maxBuffered {
		return s.flush()
	}
	return nil
}

// flush appends every buffered window to its file.
func (s *spool) flush() error {
	for b, buf := range s.buf {
		if err := appendFile(s.path(b), buf); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		delete(s.buf, b)
	}
	s.buffered = 0
	return nil
}

func (s *spool) path(bucket int64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%d.rows", bucket))
}

func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// read returns the rows of the window starting at bucket, sorted by series then time; rows of
// one series at the same time keep their row order, so the first one wins as in kpic serve.
// The window's file is removed once read.
func (s *spool) read(bucket int64, into []row) ([]row, error) {
	into = into[:0]
	data, err := os.ReadFile(s.path(bucket))
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("spool: %w", err)
	}
	data = append(data, s.buf[bucket]...)
	for i := 0; i+rowSize <= len(data); i += rowSize {
		into = append(into, row{
			series: binary.LittleEndian.Uint32(data[i:]),
			t:      int64(binary.LittleEndian.Uint64(data[i+4:])),
			v:      math.Float64frombits(binary.LittleEndian.Uint64(data[i+12:])),
		})
	}
	s.buffered -= len(s.buf[bucket])
	delete(s.buf, bucket)
	_ = os.Remove(s.path(bucket))
	slices.SortStableFunc(into, func(a, b row) int {
		if a.series != b.series {
			return int(a.series) - int(b.series)
		}
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	return into, nil
}

// floorTo rounds t down to a multiple of step (also for negative t).
func floorTo(t, step int64) int64 {
	q := t / step
	if t%step < 0 {
		q--
	}
	return q * step
}
