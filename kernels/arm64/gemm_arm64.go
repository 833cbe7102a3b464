package arm64

import (
	"fmt"
	"unsafe"
)

//go:noescape
func dotF16F32(n int, w, act *byte) float32

// GemmF16Strided sets out[t*outStride + r] = sum over k < n of
// f16(w)[r*wStride + k] * x[t*xStride + k] for r < nRows and t < nTok: the
// F16 weight rows (an F16 KV cache's keys or transposed values) against
// float32 activation rows, with the NEON F16 x F32 dot per pair (no
// register tiling yet). Strides are in elements, at least n.
func GemmF16Strided(n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	switch {
	case n < 0 || nRows < 0 || nTok < 0:
		return fmt.Errorf("kernels/arm64: gemm: negative shape n=%d rows=%d tokens=%d", n, nRows, nTok)
	case nRows == 0 || nTok == 0:
		return nil
	case wStride < n || xStride < n || outStride < nRows:
		return fmt.Errorf("kernels/arm64: gemm: strides %d, %d below n=%d or output stride %d below %d rows", wStride, xStride, n, outStride, nRows)
	case len(w) < 2*((nRows-1)*wStride+n):
		return fmt.Errorf("kernels/arm64: gemm: %d weight bytes, want %d rows of %d halves %d apart", len(w), nRows, n, wStride)
	case len(x) < (nTok-1)*xStride+n:
		return fmt.Errorf("kernels/arm64: gemm: %d activations, want %d rows of %d, %d apart", len(x), nTok, n, xStride)
	case len(out) < (nTok-1)*outStride+nRows:
		return fmt.Errorf("kernels/arm64: gemm: %d outputs, want %d", len(out), (nTok-1)*outStride+nRows)
	}
	if n == 0 {
		for t := range nTok {
			clear(out[t*outStride : t*outStride+nRows])
		}
		return nil
	}
	for t := range nTok {
		xt := (*byte)(unsafe.Pointer(&x[t*xStride]))
		for r := range nRows {
			out[t*outStride+r] = dotF16F32(n, &w[2*r*wStride], xt)
		}
	}
	return nil
}
