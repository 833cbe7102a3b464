package amd64

import "sort"

// ggml type numbers (GGUF's numbering, as in ggml.h's enum ggml_type).
const (
	typeF32  = 0
	typeF16  = 1
	typeQ4_0 = 2
	typeQ4_1 = 3
	typeQ5_0 = 6
	typeQ5_1 = 7
	typeQ8_0 = 8
	typeQ8_1 = 9
	typeQ2_K = 10
	typeQ3_K = 11
	typeQ4_K = 12
	typeQ5_K = 13
	typeQ6_K = 14
	typeQ8_K = 15
	typeBF16 = 30
)

// DotFunc is the signature of every dot kernel, the same as quant's VecDot:
// the dot product of n elements of one weight row w (blocks of the weight
// type) with act (blocks of the activation type).
type DotFunc func(n int, w, act []byte) float32

// DotRowsFunc computes out[i] = Dot(n, row i, act) for len(out)
// consecutive weight rows of n elements each in w (quant's VecDotRows).
type DotRowsFunc func(n int, w, act []byte, out []float32)

// DotTokensFunc computes out[t*outStride] = Dot(n, w, act[t*actStride:])
// for t < nTok: one weight row against nTok activation rows, each weight
// block unpacked once for several tokens (prompt processing). Results
// equal Dot's bit for bit. actStride must not be negative.
type DotTokensFunc func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int)

// DotTileFunc computes out[t*outStride + r] = Dot(n, w[r*rowStride:],
// act[t*actStride:]) for r < nRows and t < nTok: a tile of weight rows
// against a tile of tokens, each weight and activation block loaded once
// per register tile rather than once per pair (quant's VecDotTile).
// Results equal Dot's bit for bit. out must hold (nTok-1)*outStride +
// nRows values; strides must not be negative.
type DotTileFunc func(n int, w []byte, rowStride, nRows int, act []byte, actStride, nTok int, out []float32, outStride int)

// GemmFunc computes out[t*outStride + r] = sum over k < n of W[r][k] *
// x[t*n + k] for r < nRows and t < nTok: nRows consecutive weight rows of
// n elements (row r starts at byte r*RowSize) against nTok float32
// activation rows stored token-major in x. The weight type is the
// function's; activations are float32 so that each is converted once per
// matrix, not once per row (ggml rounds the activations of an F16 or
// BF16 matmul to that type first: pass the rounded values to get its
// products). out must hold (nTok-1)*outStride + nRows values, with
// outStride >= nRows; other elements of out are not touched.
type GemmFunc func(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error

// Kernel is one row of the dot-product table: the fast kernels for one
// weight type.
type Kernel struct {
	Type      uint32      // ggml type number of the weights
	Name      string      // ggml type name of the weights, "q4_K"
	ActType   uint32      // ggml type number of the activation blocks (ggml's vec_dot_type)
	BlockSize int         // elements per weight block
	Dot       DotFunc     // n must be a multiple of BlockSize
	DotRows   DotRowsFunc // the same over consecutive rows; bit-identical to Dot per row
	// DotTokens is one row against several tokens; bit-identical to Dot per
	// token. Multi-token asm for Q8_0, Q4_K and Q6_K; a loop over Dot
	// for the other types.
	DotTokens DotTokensFunc
	// DotTile is several rows against several tokens; bit-identical to
	// Dot per pair. Register-tiled asm for Q8_0; nil for the other types
	// (quant then uses DotTokens).
	DotTile DotTileFunc
	// Gemm is a register-tiled matrix product with float32 activations
	// for the float weight types (F16, F32, BF16); nil for the others.
	Gemm GemmFunc
}

// tokensOf makes the DotTokens of a Dot: one call per token.
func tokensOf(dot DotFunc) DotTokensFunc {
	return func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int) {
		for t := 0; t < nTok; t++ {
			out[t*outStride] = dot(n, w, act[t*actStride:])
		}
	}
}

// QuantizeFunc quantizes len(x) activations (a multiple of the block size)
// into dst, byte for byte as ggml's CPU backend does.
type QuantizeFunc func(x []float32, dst []byte)

// Quantizer is one row of the activation-quantizer table.
type Quantizer struct {
	Type      uint32 // ggml type number of the activation format (Q8_0, Q8_1, Q8_K, F16, BF16)
	Name      string // ggml type name, "q8_K"
	BlockSize int    // elements per block
	Quantize  QuantizeFunc
}

// dots and quantizers are filled once by the amd64 init when the CPU has the
// baseline ISA, and are immutable afterwards.
var (
	dots       = map[uint32]Kernel{}
	quantizers = map[uint32]Quantizer{}
)

// Lookup returns the fast dot kernel for weights of ggml type t, or false
// when there is none on this CPU (the caller keeps its Go reference).
func Lookup(t uint32) (Kernel, bool) {
	k, ok := dots[t]
	return k, ok
}

// Kernels lists the available dot kernels in type order (empty when Enabled
// is false).
func Kernels() []Kernel {
	ks := make([]Kernel, 0, len(dots))
	for _, k := range dots {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].Type < ks[j].Type })
	return ks
}

// LookupQuantizer returns the fast activation quantizer for ggml type t
// (Q8_0, Q8_1, Q8_K, F16 or BF16), or false when there is none on this
// CPU.
func LookupQuantizer(t uint32) (Quantizer, bool) {
	q, ok := quantizers[t]
	return q, ok
}
