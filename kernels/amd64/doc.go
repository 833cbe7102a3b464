// Package amd64 holds the hand-written Go assembly kernels for ggml's
// weight-block x activation dot products and activation quantizers on
// x86-64: AVX2+FMA+F16C, with AVX512_VNNI forms of the integer kernels
// where the CPU has them.
//
// It is a leaf package: blocks come in as []byte in ggml's layouts, results
// go out as float32, and nothing is imported from ggml/. The kernels are
// chosen once at start-up with cpuid: Enabled reports whether they can run
// (GOARCH amd64 with AVX2, FMA and F16C), Features describes the choice in
// one line for a -v flag, and Lookup / Kernels / LookupQuantizer return the
// table rows, empty when Enabled is false so that callers keep their Go
// references. ggml/quant installs them at start-up (see its UseFastKernels
// and KernelInfo).
//
// Every dot kernel has the signature of quant's VecDot,
//
//	func(n int, w []byte, act []byte) float32
//
// where n is the number of elements (a multiple of the weight type's block
// size; a remainder is ignored), w holds n/BlockSize weight blocks and act
// the matching activation blocks (Q8_0, Q8_1, Q8_K, F16, BF16 or F32, as
// ggml's vec_dot_type). Each also comes as DotRows (consecutive weight rows
// against one activation row; the row loop runs inside the assembly) and
// DotTokens (one weight row against several activation rows; Q8_0, Q4_K and
// Q6_K unpack each weight block once for four tokens), and Q8_0 as DotTile
// (a tile of rows against a tile of tokens, register-tiled in
// dot_tile_amd64.s). All of them give bit-identical results for the same
// row and token, and the AVX2 and VNNI forms are bit-identical too.
//
// The slices may start at any byte address. Short slices panic with an
// index error, as the references do: callers size them with quant.RowSize.
// Integer parts (the per-block sums of products of quantized values) equal
// the references exactly; only the float32 accumulation order differs, so
// results are within a few float32 ulps of the sum of the absolute scaled
// products. Activation quantizers are byte-identical to
// quant.QuantizeActivation.
//
// Files: one dot_<type>_amd64.s per format (dot_q32_amd64.s holds Q4_0,
// Q4_1, Q5_0, Q5_1; dot_float_amd64.s F32, F16, BF16), dot_x4_amd64.s the
// four-token kernels, dot_tile_amd64.s the rows x tokens tiles,
// quant_amd64.s the quantizers, consts_amd64.s the shared constants and
// macros_amd64.h the shared macros. Each .s file opens with its Go
// signature, block layout, ISA and register map. axpy_amd64.s holds AxpyF32
// (y += a*x on float32 vectors, for attention), which ggml/quant exposes as
// quant.AxpyF32.
package amd64
