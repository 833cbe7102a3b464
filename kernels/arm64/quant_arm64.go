package arm64

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/limnx/limnx/kernels"
)

// The quantizer table's shapes, shared with kernels/amd64.
type (
	QuantizeFunc = kernels.QuantizeFunc
	Quantizer    = kernels.Quantizer
)

var quantizerTable = []Quantizer{
	{Type: kernels.TypeQ8_0, Name: "q8_0", BlockSize: qk, Quantize: QuantizeQ8_0},
	{Type: kernels.TypeQ8_1, Name: "q8_1", BlockSize: qk, Quantize: QuantizeQ8_1},
	{Type: kernels.TypeQ8_K, Name: "q8_K", BlockSize: qkK, Quantize: QuantizeQ8_K},
}

// LookupQuantizer returns the activation quantizer for ggml type t (Q8_0,
// Q8_1 or Q8_K), or false for other types.
func LookupQuantizer(t uint32) (Quantizer, bool) {
	for _, q := range quantizerTable {
		if q.Type == t {
			return q, true
		}
	}
	return Quantizer{}, false
}

// quantBlocks checks a quantizer's shapes and returns the number of
// blocks; bad shapes are the caller's broken invariant.
func quantBlocks(name string, x []float32, dst []byte, blockSize, size int) int {
	nb := len(x) / blockSize
	if len(x)%blockSize != 0 || len(dst) < nb*size {
		panic(fmt.Sprintf("kernels/arm64: %s: %d values need a multiple of %d and %d bytes, have %d",
			name, len(x), blockSize, nb*size, len(dst)))
	}
	return nb
}

// QuantizeQ8_0 quantizes x to Q8_0 blocks in dst as ggml's x86
// quantize_row_q8_0 does: per 32 values d = amax/127 as binary16 and
// q = round-half-even(x*127/amax).
func QuantizeQ8_0(x []float32, dst []byte) {
	if nb := quantBlocks("QuantizeQ8_0", x, dst, qk, sizeQ8_0); nb > 0 {
		quantQ8_0(nb, &x[0], &dst[0])
	}
}

// QuantizeQ8_1 quantizes x to Q8_1 blocks: Q8_0's d and q, then
// s = d*sum(q) (with the float32 d) as binary16.
func QuantizeQ8_1(x []float32, dst []byte) {
	if nb := quantBlocks("QuantizeQ8_1", x, dst, qk, sizeQ8_1); nb > 0 {
		quantQ8_1(nb, &x[0], &dst[0])
	}
}

// QuantizeQ8_K quantizes x to Q8_K blocks as quantize_row_q8_K_ref: per 256
// values max = the first value of largest magnitude, iscale = -127/max,
// q = min(127, round-half-even(iscale*x)), d = 1/iscale as float32, bsums
// the sums of 16 q's; an all-zero block is all zero bytes.
func QuantizeQ8_K(x []float32, dst []byte) {
	nb := quantBlocks("QuantizeQ8_K", x, dst, qkK, sizeQ8_K)
	for i := 0; i < nb; i++ {
		b := dst[i*sizeQ8_K : (i+1)*sizeQ8_K]
		maxv := maxAbs256(&x[i*qkK])
		if maxv == 0 {
			clear(b)
			continue
		}
		iscale := -127 / maxv
		quantQ8_KBlock(&x[i*qkK], iscale, &b[4])
		binary.LittleEndian.PutUint32(b, math.Float32bits(1/iscale))
	}
}

//go:noescape
func quantQ8_0(nb int, x *float32, y *byte)

//go:noescape
func quantQ8_1(nb int, x *float32, y *byte)

//go:noescape
func maxAbs256(x *float32) float32

//go:noescape
func quantQ8_KBlock(x *float32, iscale float32, y *byte)
