package ops

import "os"

// Vector kernels of Softmax's exponentials and of SwiGLU, where the
// architecture has them (fast_amd64.go): each does the first elements of
// a slice (a multiple of its width) and returns how many, the Go loops
// doing the rest. Nil means the Go loops do everything.
var (
	expSubSumVec func(x []float32, max float32) (done int, sum float64)
	swiGLUVec    func(dst, gate, up []float32) (done int)
)

// fastOps is whether the vector kernels are installed.
var fastOps bool

// The vector kernels are installed at start-up unless LIMNX_KERNELS=go
// (ggml/quant's variable, read the same way).
func init() { UseFastKernels(os.Getenv("LIMNX_KERNELS") != "go") }

// UseFastKernels installs (on) the architecture's vector kernels for
// Softmax and SwiGLU, where it has them, or (!on) keeps the Go loops, and
// reports whether vector kernels are now in use. Like ggml/quant's
// UseFastKernels it is for start-up and tests, not safe to call while
// another goroutine runs Softmax or SwiGLU. The vector kernels compute
// the same expression with the same polynomial; an exponential can differ
// from the Go one's in the last bit, and Softmax's float64 sum is taken
// in another order.
func UseFastKernels(on bool) bool {
	expSubSumVec, swiGLUVec = nil, nil
	if on {
		expSubSumVec, swiGLUVec = fastExpSubSum(), fastSwiGLU()
	}
	fastOps = expSubSumVec != nil
	return fastOps
}

// KernelInfo returns a line for a -v flag: whether Softmax and SwiGLU run
// vector kernels.
func KernelInfo() string {
	if fastOps {
		return "ggml/ops: vector kernels for softmax and swiglu"
	}
	return "ggml/ops: Go loops for softmax and swiglu"
}
