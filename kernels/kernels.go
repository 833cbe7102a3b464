// Package kernels holds what the architecture kernel packages
// (kernels/amd64, kernels/arm64) share and ggml/quant reads from them:
// ggml's type numbers, the shapes of the kernel functions, the rows of the
// dot-kernel and activation-quantizer tables, and the helpers that build a
// table entry from a simpler kernel. It has no kernels of its own and no
// architecture-specific code.
package kernels

// ggml type numbers (GGUF's numbering, as in ggml.h's enum ggml_type).
const (
	TypeF32  uint32 = 0
	TypeF16  uint32 = 1
	TypeQ4_0 uint32 = 2
	TypeQ4_1 uint32 = 3
	TypeQ5_0 uint32 = 6
	TypeQ5_1 uint32 = 7
	TypeQ8_0 uint32 = 8
	TypeQ8_1 uint32 = 9
	TypeQ2_K uint32 = 10
	TypeQ3_K uint32 = 11
	TypeQ4_K uint32 = 12
	TypeQ5_K uint32 = 13
	TypeQ6_K uint32 = 14
	TypeQ8_K uint32 = 15
	TypeBF16 uint32 = 30
)

// DotFunc is the signature of every dot kernel, the same as ggml/quant's
// VecDot: the dot product of n elements of one weight row w (blocks of the
// weight type) with act (blocks of the activation type).
type DotFunc = func(n int, w, act []byte) float32

// DotRowsFunc computes out[i] = Dot(n, row i, act) for len(out)
// consecutive weight rows of n elements each in w (ggml/quant's
// VecDotRows).
type DotRowsFunc = func(n int, w, act []byte, out []float32)

// DotTokensFunc computes out[t*outStride] = Dot(n, w, act[t*actStride:])
// for t < nTok: one weight row against nTok activation rows (prompt
// processing), each weight block unpacked once for several tokens. Results
// equal Dot's bit for bit. actStride must not be negative.
type DotTokensFunc = func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int)

// DotTileFunc computes out[t*outStride + r] = Dot(n, w[r*rowStride:],
// act[t*actStride:]) for r < nRows and t < nTok: a tile of weight rows
// against a tile of tokens, each weight and activation block loaded once
// per register tile rather than once per pair (ggml/quant's VecDotTile).
// Results equal Dot's bit for bit. out must hold (nTok-1)*outStride +
// nRows values; strides must not be negative.
type DotTileFunc = func(n int, w []byte, rowStride, nRows int, act []byte, actStride, nTok int, out []float32, outStride int)

// GemmFunc computes out[t*outStride + r] = sum over k < n of W[r][k] *
// x[t*n + k] for r < nRows and t < nTok: nRows consecutive weight rows of
// n elements against nTok float32 activation rows stored token-major in x.
// The weight type is the function's; activations are float32 so that each
// is converted once per matrix, not once per row (ggml rounds the
// activations of an F16 or BF16 matmul to that type first: pass the
// rounded values to get its products). out must hold (nTok-1)*outStride +
// nRows values, with outStride >= nRows; other elements of out are not
// touched.
type GemmFunc = func(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error

// Kernel is one row of an architecture's dot-kernel table: its kernels for
// one weight type. Nil functions are absent (ggml/quant then keeps its own
// way of computing that product).
type Kernel struct {
	Type      uint32      // ggml type number of the weights
	Name      string      // ggml type name of the weights, "q4_K"
	ActType   uint32      // ggml type number of the activation blocks (ggml's vec_dot_type)
	BlockSize int         // elements per weight block; n must be a multiple
	Dot       DotFunc     // the kernel
	DotRows   DotRowsFunc // Dot over consecutive rows; bit-identical to Dot per row
	DotTokens DotTokensFunc
	DotTile   DotTileFunc
	// Gemm is a register-tiled matrix product with float32 activations
	// for the float weight types (F16, F32, BF16).
	Gemm GemmFunc
}

// QuantizeFunc quantizes len(x) activations (a multiple of the block size)
// into dst, byte for byte as ggml's CPU backend does.
type QuantizeFunc = func(x []float32, dst []byte)

// Quantizer is one row of an architecture's activation-quantizer table.
type Quantizer struct {
	Type      uint32 // ggml type number of the activation format (Q8_0, Q8_1, Q8_K, F16, BF16)
	Name      string // ggml type name, "q8_K"
	BlockSize int    // elements per block
	Quantize  QuantizeFunc
}

// TokensOf makes the DotTokens of a Dot: one call per token, for the types
// without a multi-token kernel.
func TokensOf(dot DotFunc) DotTokensFunc {
	return func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int) {
		for t := 0; t < nTok; t++ {
			out[t*outStride] = dot(n, w, act[t*actStride:])
		}
	}
}
