package quant

import (
	"encoding/binary"
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
