package exporter

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// A gzip response is one gzip member: a header, one deflate stream, the CRC-32 and length of
// the whole text. Each result is compressed once, on its own, into deflate blocks that end
// with a sync flush (byte-aligned, not final); such pieces concatenate into one valid deflate
// stream, which a final empty block closes. The CRC-32 of the whole text is combined from the
// pieces' CRCs, so a scrape neither recompresses nor rereads published results. (Several gzip
// members, one per result, are valid too, but curl and some HTTP clients read only the first.)

// chunk is a piece of deflate stream and what it decodes to: its CRC-32 and length.
type chunk struct {
	data []byte
	crc  uint32
	size int
}

// gzipHeader is a gzip member header: deflate, no name or time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// finalBlock is an empty final deflate block with fixed codes: BFINAL=1, BTYPE=01, end of block.
var finalBlock = []byte{0x03, 0x00}

// deflateChunk compresses p with zw (reset to write into a new buffer) and sync-flushes it.
func deflateChunk(zw *flate.Writer, p []byte) chunk {
	var buf bytes.Buffer
	buf.Grow(len(p)/4 + 64)
	zw.Reset(&buf)
	_, _ = zw.Write(p) // a bytes.Buffer does not fail
	_ = zw.Flush()
	return chunk{data: buf.Bytes(), crc: crc32.ChecksumIEEE(p), size: len(p)}
}

func newFlateWriter() *flate.Writer {
	zw, _ := flate.NewWriter(nil, flate.BestSpeed) // the level is valid: no error
	return zw
}

// gzipLength is the size of the member made of chunks.
func gzipLength(chunks []chunk) int {
	n := len(gzipHeader) + len(finalBlock) + 8
	for _, c := range chunks {
		n += len(c.data)
	}
	return n
}

// gzipTrailer closes the member: the final block, the CRC-32 and the length (mod 2^32) of
// everything the chunks decode to.
func gzipTrailer(chunks []chunk) []byte {
	var crc uint32
	var size int
	for i, c := range chunks {
		if i == 0 {
			crc = c.crc
		} else {
			crc = crc32Combine(crc, c.crc, c.size)
		}
		size += c.size
	}
	out := append([]byte(nil), finalBlock...)
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, uint32(size))
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from crcA, crcB and B's length.
// Appending n zero bytes to a message multiplies its CRC register by x^(8n) modulo the
// polynomial, a linear map over GF(2); crcA is passed through the maps of the powers of two
// that make up lenB (see zeroBytes), then XORed with crcB.
func crc32Combine(crcA, crcB uint32, lenB int) uint32 {
	for k := 0; lenB > 0; k, lenB = k+1, lenB>>1 {
		if lenB&1 != 0 {
			crcA = apply(&zeroBytes[k], crcA)
		}
	}
	return crcA ^ crcB
}

// zeroBytes[k] is the operator of appending 2^k zero bytes to a CRC-32 register: one zero
// bit's operator squared 3+k times.
var zeroBytes = func() (ops [63][32]uint32) {
	var bit [32]uint32
	bit[0] = crc32.IEEE // reflected polynomial: the image of the register's low bit
	for i := 1; i < 32; i++ {
		bit[i] = 1 << (i - 1)
	}
	var two, four [32]uint32
	square(&two, &bit)
	square(&four, &two)
	square(&ops[0], &four)
	for k := 1; k < len(ops); k++ {
		square(&ops[k], &ops[k-1])
	}
	return ops
}()

// apply multiplies the GF(2) matrix m (one column per bit) by v.
func apply(m *[32]uint32, v uint32) uint32 {
	var out uint32
	for i := 0; v != 0; i, v = i+1, v>>1 {
		if v&1 != 0 {
			out ^= m[i]
		}
	}
	return out
}

// square sets dst to m times m.
func square(dst, m *[32]uint32) {
	for i := range m {
		dst[i] = apply(m, m[i])
	}
}
