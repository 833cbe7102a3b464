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

// The shapes of GemmF32 and GemmF16.
type (
	gemmF32Func = func(n int, w []float32, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error
	gemmF16Func = func(n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error
)

// gemmF32 is the GemmF32 kernel in use, set by installKernels.
var gemmF32 gemmF32Func

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
	if err := checkGemm("GemmF32", n, len(w), wStride, nRows, len(x), xStride, nTok, len(out), outStride); err != nil || nRows == 0 || nTok == 0 {
		return err
	}
	for t := range nTok {
		xt := x[t*xStride : t*xStride+n]
		for r := range nRows {
			out[t*outStride+r] = DotF32(w[r*wStride:r*wStride+n], xt)
		}
	}
	return nil
}

// gemmF16 is the GemmF16 kernel in use, set by installKernels.
var gemmF16 gemmF16Func

// GemmF16 is GemmF32 for F16 weight rows: out[t*outStride + r] = sum over
// k < n of f16(w row r)[k] * x[t*xStride + k], weight row r being the n
// F16 values at byte 2*r*wStride of w (attention over an F16 KV cache).
// With the fast kernels a register-tiled kernel (within a few float32
// ulps of sum |w*x|), else float32 products summed in float64. Strides
// are in elements and at least n.
func GemmF16(n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	return gemmF16(n, w, wStride, nRows, x, xStride, nTok, out, outStride)
}

// refGemmF16 is GemmF16 where no Gemm kernel is installed.
func refGemmF16(n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	if err := checkGemm("GemmF16", n, len(w)/2, wStride, nRows, len(x), xStride, nTok, len(out), outStride); err != nil {
		return err
	}
	for t := range nTok {
		xt := x[t*xStride : t*xStride+n]
		for r := range nRows {
			wr := w[2*r*wStride : 2*(r*wStride+n)]
			var s float64
			for k, v := range xt {
				s += float64(f16ToF32(le16(wr[2*k:])) * v)
			}
			out[t*outStride+r] = float32(s)
		}
	}
	return nil
}

// checkGemm reports bad shapes of a strided product over wLen weights and
// xLen activations (in elements) into outLen outputs.
func checkGemm(name string, n, wLen, wStride, nRows, xLen, xStride, nTok, outLen, outStride int) error {
	switch {
	case n < 0 || nRows < 0 || nTok < 0:
		return fmt.Errorf("quant: %s: negative shape n=%d rows=%d tokens=%d", name, n, nRows, nTok)
	case nRows == 0 || nTok == 0:
		return nil
	case wStride < n || xStride < n || outStride < nRows:
		return fmt.Errorf("quant: %s: strides %d, %d below n=%d or output stride %d below %d rows", name, wStride, xStride, n, outStride, nRows)
	case wLen < (nRows-1)*wStride+n:
		return fmt.Errorf("quant: %s: %d weights, want %d rows of %d, %d apart", name, wLen, nRows, n, wStride)
	case xLen < (nTok-1)*xStride+n:
		return fmt.Errorf("quant: %s: %d activations, want %d rows of %d, %d apart", name, xLen, nTok, n, xStride)
	case outLen < (nTok-1)*outStride+nRows:
		return fmt.Errorf("quant: %s: %d outputs, want %d", name, outLen, (nTok-1)*outStride+nRows)
	}
	return nil
}
