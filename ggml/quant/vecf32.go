package quant

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// nativeLittle reports whether float32 slices are laid out as F32 rows
// (little-endian), so that DotF32 can view them as bytes.
var nativeLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// DotF32 returns the dot product of a and b[:len(a)], float32 vectors
// such as an attention head's query and key, with the F32 row's VecDot:
// the fast kernel when installed (the sum in its order, within a few
// float32 ulps of sum |a_i*b_i|), else ggml's generic F32 dot (products
// rounded to float32, summed in float64). len(b) must be at least len(a);
// it does not allocate.
func DotF32(a, b []float32) float32 {
	if len(a) == 0 {
		return 0
	}
	b = b[:len(a)]
	if !nativeLittle {
		var s float64
		for i, v := range a {
			s += float64(v * b[i])
		}
		return float32(s)
	}
	return traits[F32].VecDot(len(a), f32Bytes(a), f32Bytes(b))
}

// f32Bytes views x (not empty) as its bytes.
func f32Bytes(x []float32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), 4*len(x))
}

// axpyF32 is the AxpyF32 kernel in use, set by installKernels.
var axpyF32 func(a float32, x, y []float32)

// AxpyF32 sets y[i] += a*x[i] for i < len(y) (len(x) must be at least
// len(y)), as in attention's weighted sum of value rows: with the fast
// kernels one fused multiply-add per element (AVX2 on amd64), else a Go
// loop (a multiply and an add, each rounded). It does not allocate.
func AxpyF32(a float32, x, y []float32) { axpyF32(a, x, y) }

// refAxpyF32 is AxpyF32's Go path.
func refAxpyF32(a float32, x, y []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += a * v
	}
}

// gemmF32 is the GemmF32 kernel in use, set by installKernels.
var gemmF32 func(n int, w []float32, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error

// GemmF32 sets out[t*outStride + r] = DotF32(w[r*wStride:][:n],
// x[t*xStride:][:n]) for r < nRows and t < nTok: a float32 matrix product
// over strided rows, for attention (a head's keys against its queries
// inside the token-major query matrix; the softmax weights against the
// value cache's rows) without gathering the operands first. With the fast
// kernels a register-tiled kernel (sums in its order, within a few float32
// ulps of sum |w*x|), else DotF32 per pair. Strides are in
// elements and at least n; outStride at least nRows. It does not
// allocate and returns an error for bad shapes.
func GemmF32(n int, w []float32, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	return gemmF32(n, w, wStride, nRows, x, xStride, nTok, out, outStride)
}

// refGemmF32 is GemmF32 where no Gemm kernel is installed: DotF32 per
// pair, so the F32 dot kernel where there is one (arm64), else ggml's
// generic sum.
func refGemmF32(n int, w []float32, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	switch {
	case n < 0 || nRows < 0 || nTok < 0:
		return fmt.Errorf("quant: GemmF32: negative shape n=%d rows=%d tokens=%d", n, nRows, nTok)
	case nRows == 0 || nTok == 0:
		return nil
	case wStride < n || xStride < n || outStride < nRows:
		return fmt.Errorf("quant: GemmF32: strides %d, %d below n=%d or output stride %d below %d rows", wStride, xStride, n, outStride, nRows)
	case len(w) < (nRows-1)*wStride+n:
		return fmt.Errorf("quant: GemmF32: %d weights, want %d rows of %d, %d apart", len(w), nRows, n, wStride)
	case len(x) < (nTok-1)*xStride+n:
		return fmt.Errorf("quant: GemmF32: %d activations, want %d rows of %d, %d apart", len(x), nTok, n, xStride)
	case len(out) < (nTok-1)*outStride+nRows:
		return fmt.Errorf("quant: GemmF32: %d outputs, want %d", len(out), (nTok-1)*outStride+nRows)
	}
	for t := range nTok {
		xt := x[t*xStride : t*xStride+n]
		for r := range nRows {
			out[t*outStride+r] = DotF32(w[r*wStride:r*wStride+n], xt)
		}
	}
	return nil
}
