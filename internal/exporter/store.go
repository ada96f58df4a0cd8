package exporter

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// entry is a published block, with when it stops being served.
type entry struct {
	name    string
	block   *block
	expires time.Time
}

// snapshot is an immutable, name-sorted view of every published result; scrapes read one
// without locks while runs publish the next.
type snapshot struct{ entries []entry }

// store swaps snapshots atomically; writers copy the small entry list under a mutex.
type store struct {
	mu  sync.Mutex
	cur atomic.Pointer[snapshot]
}

func newStore() *store {
	s := &store{}
	s.cur.Store(&snapshot{})
	return s
}

func (s *store) load() *snapshot { return s.cur.Load() }

// put publishes or replaces the named block.
func (s *store) put(name string, b *block, expires time.Time) {
	s.update(func(es []entry) []entry {
		i, found := slices.BinarySearchFunc(es, name, func(e entry, n string) int { return strings.Compare(e.name, n) })
		if found {
			es[i] = entry{name, b, expires}
			return es
		}
		return slices.Insert(es, i, entry{name, b, expires})
	})
}

// retain drops every block keep rejects (stale results, queries gone after a reload).
func (s *store) retain(keep func(entry) bool) {
	s.update(func(es []entry) []entry {
		return slices.DeleteFunc(es, func(e entry) bool { return !keep(e) })
	})
}

func (s *store) update(f func([]entry) []entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	es := slices.Clone(s.cur.Load().entries)
	s.cur.Store(&snapshot{entries: f(es)})
}

// find returns the named entry.
func (s *snapshot) find(name string) (entry, bool) {
	i, found := slices.BinarySearchFunc(s.entries, name, func(e entry, n string) int { return strings.Compare(e.name, n) })
	if !found {
		return entry{}, false
	}
	return s.entries[i], true
}
