// Package quant owns ggml's tensor element types: the block layouts, the
// plain-Go reference dequantize/quantize routines, the activation formats
// (Q8_0, Q8_1, Q8_K), the weight x activation dot products that the fast
// kernels in kernels/ are tested against, and the row-parallel MatMul built
// on them. It does not know about files (see ggml/gguf) or models (see
// ggml/model).
//
// The common case is a forward pass multiplying a weight matrix, as stored
// in a GGUF file, by activations:
//
//	var mm quant.MatMul                               // one per model; zero value = NumCPU threads
//	mm.MatVec(tensorType, tensorBytes, rows, cols, x, out) // out[r] = row r · x
//
// MatVec quantizes x once to the weight type's VecDotType exactly as
// ggml's CPU backend does (QuantizeActivation), then computes each output
// with the type's VecDot, an integer dot per block scaled by the block's
// float scales, as ggml's generic code does.
//
// Everything is driven by one table indexed by Type (Type.Traits): name,
// block size, bytes per block, ToFloat, FromFloat, VecDotType, VecDot. To
// add a format, add a row, its block functions and a test.
//
// What callers may assume:
//   - Dequantize (ToFloat) is bit for bit ggml's to_float for every
//     supported type, including the sign of zero: ggml yields -0.0 where a
//     negative scale multiplies a zero quant (q4_0, q5_0, q3_K, q6_K), and
//     so does this package; the golden test compares float32 bits.
//   - Quantize (FromFloat) is a reference-quality quantizer: for the
//     32-element formats it is ggml's reference algorithm; for the K-quants
//     it is this package's own scale/min search (fitSym, fitAffine), not
//     bit-identical to llama-quantize but with errors in the same range
//     (see TestQuantizeRMS).
//   - QuantizeActivation is bit-identical to ggml's x86 CPU path.
//   - RefVecDot has exact integer parts; its float parts follow ggml's
//     generic order. Results differ from llama.cpp's SIMD kernels only in
//     float accumulation order.
//   - Bad lengths and unsupported types are errors from RowSize,
//     Dequantize, Quantize and QuantizeActivationChecked, never panics.
//
// Fast kernels are chosen once at start-up: the package's variable
// initialization installs, for every weight type, the fastest kernels the
// CPU runs (kernels/amd64 with AVX2+FMA+F16C, and AVX512_VNNI where
// present; kernels/arm64 with NEON, and SDOT where present), so every
// program gets them without opting in. The environment variable
// LIMNX_KERNELS=go, read at start-up, or UseFastKernels(false) keeps the
// Go references; KernelInfo describes the choice for a -v flag. A row's
// fast kernels are VecDot, VecDotRows (several rows, one token: decode),
// VecDotTokens (one row, several tokens) and VecDotTile (rows x tokens in
// registers: prompt processing), Gemm (float weights, several tokens) and
// QuantizeAct; RefVecDot stays in the table as their oracle. With them,
// results differ from RefVecDot only in float accumulation order (the
// integer block sums are the same), and MatMat from per-token MatVec only
// where it uses Gemm. SetVecDot and SetVecDotRows replace one type's
// kernels by hand.
//
// MatMul's workers spin briefly between calls and claim chunks per call,
// so the hundreds of small matmuls of a decode step each cost a few
// microseconds of hand-off; MatMatN runs matrices that share their input
// (a layer's Q, K and V) as one call.
//
// DotF32, AxpyF32, GemmF32 and GemmF16 give attention (scores q·k,
// weighted sums of values, over an F32 or F16 cache read in place through
// row strides) the same kernels for float32 vectors.
package quant
