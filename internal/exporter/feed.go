package exporter

import "github.com/kpic/kpic/internal/source"

// Rows are encoded on a goroutine of their own, so formatting and hashing one batch overlaps
// with the driver reading and decoding the next: the reading goroutine only copies each row's
// label values into a batch.

// batchRows is the number of rows handed over at a time: enough for the hand-over (a goroutine
// wake-up) to cost nothing per row, few enough for a batch to stay in cache.
const batchRows = 8192

// batch is rows copied out of a scan: label values back to back in data, each ending at its
// entry in ends (width entries per row), and the samples.
type batch struct {
	data   []byte
	ends   []int
	values []float64
}

// feed calls read with a Visit that queues each row, encodes the queued rows on another
// goroutine, and returns once every row read is in e. read must not call the Visit after it
// returns.
func (e *encoder) feed(read func(source.Visit)) {
	full, free := make(chan *batch, 2), make(chan *batch, 3)
	for range cap(free) {
		free <- &batch{}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range full {
			e.addBatch(b)
			free <- b
		}
	}()
	cur := <-free
	defer func() { // also if read panics, so the goroutine ends
		full <- cur // the last batch, partly filled
		close(full)
		<-done
	}()
	read(func(labels [][]byte, v float64) {
		cur.add(labels, v)
		if len(cur.values) == batchRows {
			full <- cur
			cur = <-free
		}
	})
}

// add copies one row into b.
func (b *batch) add(labels [][]byte, v float64) {
	for _, l := range labels {
		b.data = append(b.data, l...)
		b.ends = append(b.ends, len(b.data))
	}
	b.values = append(b.values, v)
}

// addBatch encodes b's rows and empties it.
func (e *encoder) addBatch(b *batch) {
	row := make([][]byte, len(e.names))
	start, ends := 0, b.ends
	for _, v := range b.values {
		for j := range row {
			row[j] = b.data[start:ends[j]]
			start = ends[j]
		}
		ends = ends[len(row):]
		e.add(row, v)
	}
	b.data, b.ends, b.values = b.data[:0], b.ends[:0], b.values[:0]
}
