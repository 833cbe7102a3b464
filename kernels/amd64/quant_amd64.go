package amd64

import (
	"encoding/binary"
	"math"
)

//go:noescape
func quantQ8_0(nb int, x *float32, y *byte)

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
