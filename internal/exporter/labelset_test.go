package exporter

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/kpic/kpic/internal/source"
)

// reference encodes rows the simple way, one map lookup per row: a repeat of a kept label set
// is a duplicate, a new set past the limit, or a repeat of one, is over the limit.
func reference(rows [][2]string, limit int) (text string, duplicate, overLimit int) {
	kept := map[string]bool{}
	var b strings.Builder
	for _, r := range rows {
		switch {
		case kept[r[0]]:
			duplicate++
		case len(kept) >= limit:
			overLimit++
		default:
			kept[r[0]] = true
			fmt.Fprintf(&b, "business_x{plan=%q} %s\n", r[0], r[1])
		}
	}
	return b.String(), duplicate, overLimit
}

// randomRows draws n rows from a pool of label values, so many repeat.
func randomRows(n, pool int) [][2]string {
	rows := make([][2]string, n)
	for i := range rows {
		rows[i] = [2]string{fmt.Sprintf("p%d", rand.N(pool)), fmt.Sprint(i)}
	}
	return rows
}

func encodeRows(rows [][2]string, limit int) *encoder {
	e := newEncoder("business_x", "h", []string{"plan"}, limit, sizeHint{})
	for i, r := range rows {
		e.add([][]byte{[]byte(r[0])}, float64(i))
	}
	return e
}

// TestResolveMatchesRowByRow checks duplicates and the limit against the row-by-row reference,
// with results large enough to be resolved in several batches (see resolveAt).
func TestResolveMatchesRowByRow(t *testing.T) {
	for _, tt := range []struct{ rows, pool, limit int }{
		{10, 3, 100}, {10, 5, 2}, {1000, 50, 10},
		{3 * minBatch, 1000, 500}, {3 * minBatch, 2 * minBatch, 1000}, {3 * minBatch, 4 * minBatch, 2 * minBatch},
	} {
		t.Run(fmt.Sprintf("rows=%d,pool=%d,limit=%d", tt.rows, tt.pool, tt.limit), func(t *testing.T) {
			rows := randomRows(tt.rows, tt.pool)
			want, dup, over := reference(rows, tt.limit)
			e := encodeRows(rows, tt.limit)
			b := e.finish()
			got := strings.SplitN(string(b.text), "\n", 3)[2]
			if got != want {
				t.Errorf("text differs from the reference: %d bytes, want %d", len(got), len(want))
			}
			if e.duplicate != dup || e.overLimit != over || b.series != strings.Count(want, "\n") {
				t.Errorf("duplicate %d, over limit %d, series %d; want %d, %d, %d",
					e.duplicate, e.overLimit, b.series, dup, over, strings.Count(want, "\n"))
			}
		})
	}
}

// TestEqualHashesAreNotDuplicates gives every line the same hash: only real equality of the
// label sets may drop one.
func TestEqualHashesAreNotDuplicates(t *testing.T) {
	rows := [][2]string{{"a", "0"}, {"b", "1"}, {"a", "2"}, {"a b", "3"}, {"b", "4"}, {"a b", "5"}}
	e := encodeRows(rows, 10)
	for i := range e.lines {
		e.lines[i].hash = 7
		e.keys[i] = key(7, i)
	}
	want, dup, _ := reference(rows, 10)
	if got := strings.SplitN(string(e.finish().text), "\n", 3)[2]; got != want || e.duplicate != dup {
		t.Errorf("got %q, %d duplicates; want %q, %d", got, e.duplicate, want, dup)
	}
}

func TestSortByHashIsStable(t *testing.T) {
	keys := make([]uint64, 5000)
	for i := range keys {
		keys[i] = key(rand.Uint32N(300)<<22|rand.Uint32N(3), i) // few distinct hashes, high bits used
	}
	want := slices.Clone(keys)
	slices.Sort(want) // the index breaks ties, so a plain sort is the stable order
	if got := sortByHash(keys); !slices.Equal(got, want) {
		t.Error("keys are not sorted by hash, then index")
	}
}

// TestFeedEncodesEveryRow checks that rows queued for the encoding goroutine arrive in order,
// across several batches, whatever their number of labels.
func TestFeedEncodesEveryRow(t *testing.T) {
	for _, labels := range [][]string{nil, {"plan"}, {"plan", "region"}} {
		n := 3*batchRows + 7
		direct := newEncoder("business_x", "h", labels, n, sizeHint{})
		fed := newEncoder("business_x", "h", labels, n, sizeHint{})
		rows := make([][][]byte, n)
		for i := range rows {
			for j := range labels {
				rows[i] = append(rows[i], fmt.Appendf(nil, "v%d_%d", j, i%(n/2)))
			}
			direct.add(rows[i], float64(i))
		}
		fed.feed(func(visit source.Visit) {
			scratch := make([][]byte, len(labels))
			for i, r := range rows {
				for j := range r {
					scratch[j] = append(scratch[j][:0], r[j]...) // valid only during the call, as from a scan
				}
				visit(scratch, float64(i))
			}
		})
		want, got := direct.finish(), fed.finish()
		if string(got.text) != string(want.text) || fed.duplicate != direct.duplicate {
			t.Errorf("labels %v: fed encoding differs from the direct one", labels)
		}
	}
}
