// Package amd64 holds the hand-written AVX2+FMA+F16C kernels for ggml's
// weight-block x activation dot products and activation quantizers.
//
// It is a leaf package: blocks come in as []byte in ggml's layouts, results
// go out as float32, and nothing is imported from ggml/. ggml/quant picks
// these kernels once at start-up (see Enabled and Lookup) and keeps its
// plain-Go references, which are the oracle in this package's tests, when
// the CPU lacks AVX2, FMA or F16C.
//
// Every dot kernel has the signature of quant's VecDot,
//
//	func(n int, w []byte, act []byte) float32
//
// where n is the number of elements (a multiple of the weight type's block
// size; a remainder is ignored), w holds n/BlockSize weight blocks and act
// holds the matching activation blocks (Q8_0, Q8_1, Q8_K, F16, BF16 or F32).
// The slices may start at any byte address. Short slices panic with an index
// error, as the reference does: callers size them with quant.RowSize.
//
// Integer parts (the per-block sums of products of quantized values) equal
// the reference exactly; only the float32 accumulation order differs.
package amd64
