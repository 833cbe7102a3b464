package amd64

import (
	"encoding/binary"
	"math"
)

//go:noescape
func quantQ8_0(nb int, x *float32, y *byte)

//go:noescape
func quantQ8_1(nb int, x *float32, y *byte)

//go:noescape
func toF16(n int, x *float32, y *byte)

//go:noescape
func toBF16(n int, x *float32, y *byte)

//go:noescape
func maxAbs256(x *float32) float32

//go:noescape
func quantQ8_KBlock(x *float32, iscale float32, qs *byte)

// QuantizeQ8_0 quantizes x (a multiple of 32 values; a remainder is
// ignored) to Q8_0 blocks in dst as ggml's x86 quantize_row_q8_0 does:
// per 32 values d = amax/127 as float16, q = round-half-even(x*127/amax).
func QuantizeQ8_0(x []float32, dst []byte) {
	nb := len(x) / 32
	if nb == 0 {
		return
	}
	dst = dst[:nb*sizeQ8_0]
	quantQ8_0(nb, &x[0], &dst[0])
}

// QuantizeQ8_K quantizes x (a multiple of 256 values; a remainder is
// ignored) to Q8_K blocks in dst as ggml's quantize_row_q8_K_ref does: per
// 256 values max = the first value of largest magnitude, iscale = -127/max,
// q = min(127, round-half-even(iscale*x)), d = 1/iscale, bsums = sums of
// 16 q's; an all-zero block is all zero bytes.
func QuantizeQ8_K(x []float32, dst []byte) {
	nb := len(x) / 256
	dst = dst[:nb*sizeQ8_K]
	for i := 0; i < nb; i++ {
		xb := x[256*i : 256*i+256]
		b := dst[sizeQ8_K*i : sizeQ8_K*(i+1)]
		maxv := maxAbs256(&xb[0])
		if maxv == 0 {
			clear(b)
			continue
		}
		iscale := -127 / maxv
		quantQ8_KBlock(&xb[0], iscale, &b[4])
		binary.LittleEndian.PutUint32(b, math.Float32bits(1/iscale))
	}
}

// QuantizeQ8_1 quantizes x (a multiple of 32 values; a remainder is
// ignored) to Q8_1 blocks in dst: as QuantizeQ8_0, plus s = d*sum(q) with
// the float32 d, stored as float16.
func QuantizeQ8_1(x []float32, dst []byte) {
	nb := len(x) / 32
	if nb == 0 {
		return
	}
	dst = dst[:nb*sizeQ8_1]
	quantQ8_1(nb, &x[0], &dst[0])
}

// QuantizeF16 rounds each of x (any length) to float16 (to nearest, ties
// to even) into dst, 2 bytes each, as ggml does to activations before an
// F16 matmul.
func QuantizeF16(x []float32, dst []byte) { convert(toF16, x, dst) }

// QuantizeBF16 rounds each of x (any length) to bfloat16 (to nearest,
// ties to even; a NaN stays a quiet NaN) into dst, 2 bytes each.
func QuantizeBF16(x []float32, dst []byte) { convert(toBF16, x, dst) }

// convert runs a 2-byte-per-value conversion kernel over x, the last
// partial group of 8 through a padded buffer.
func convert(kernel func(n int, x *float32, y *byte), x []float32, dst []byte) {
	dst = dst[:2*len(x)]
	m := len(x) &^ 7
	if m > 0 {
		kernel(m, &x[0], &dst[0])
	}
	if m < len(x) {
		var xt [8]float32
		var yt [16]byte
		copy(xt[:], x[m:])
		kernel(8, &xt[0], &yt[0])
		copy(dst[2*m:], yt[:])
	}
}
