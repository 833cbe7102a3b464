package quant

import (
	"fmt"
	"strings"
)

// Type is a ggml tensor element type. The numbers are ggml's (and GGUF's);
// removed types keep their slot, so the numbers never move.
type Type uint32

// ggml type numbers, as in ggml.h's enum ggml_type.
const (
	F32  Type = 0
	F16  Type = 1
	Q4_0 Type = 2
	Q4_1 Type = 3
	// 4 and 5 were Q4_2 and Q4_3, removed from ggml.
	Q5_0    Type = 6
	Q5_1    Type = 7
	Q8_0    Type = 8
	Q8_1    Type = 9
	Q2_K    Type = 10
	Q3_K    Type = 11
	Q4_K    Type = 12
	Q5_K    Type = 13
	Q6_K    Type = 14
	Q8_K    Type = 15
	IQ2_XXS Type = 16
	IQ2_XS  Type = 17
	IQ3_XXS Type = 18
	IQ1_S   Type = 19
	IQ4_NL  Type = 20
	IQ3_S   Type = 21
	IQ2_S   Type = 22
	IQ4_XS  Type = 23
	I8      Type = 24
	I16     Type = 25
	I32     Type = 26
	I64     Type = 27
	F64     Type = 28
	IQ1_M   Type = 29
	BF16    Type = 30
	// 31..33 were the Q4_0_4_4, Q4_0_4_8 and Q4_0_8_8 repacked layouts.
	TQ1_0 Type = 34
	TQ2_0 Type = 35
	// 36..38 were the IQ4_NL_4_4, IQ4_NL_4_8 and IQ4_NL_8_8 layouts.
	MXFP4 Type = 39
)

// typeNames holds ggml's type_name for every type number ggml has defined,
// supported here or not, so that errors can name what a file holds.
var typeNames = map[Type]string{
	F32: "f32", F16: "f16", Q4_0: "q4_0", Q4_1: "q4_1", Q5_0: "q5_0", Q5_1: "q5_1",
	Q8_0: "q8_0", Q8_1: "q8_1", Q2_K: "q2_K", Q3_K: "q3_K", Q4_K: "q4_K", Q5_K: "q5_K",
	Q6_K: "q6_K", Q8_K: "q8_K", IQ2_XXS: "iq2_xxs", IQ2_XS: "iq2_xs", IQ3_XXS: "iq3_xxs",
	IQ1_S: "iq1_s", IQ4_NL: "iq4_nl", IQ3_S: "iq3_s", IQ2_S: "iq2_s", IQ4_XS: "iq4_xs",
	I8: "i8", I16: "i16", I32: "i32", I64: "i64", F64: "f64", IQ1_M: "iq1_m", BF16: "bf16",
	TQ1_0: "tq1_0", TQ2_0: "tq2_0", MXFP4: "mxfp4",
}

// String returns ggml's name for t ("f32", "q4_0", "q4_K", "bf16", ...), or
// "type(N)" for a number ggml never defined.
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type(%d)", uint32(t))
}

// ParseType returns the type named name, compared case-insensitively
// ("Q4_K", "q4_k" and "q4_K" are all Q4_K). It returns an error for a name
// ggml does not define; the type it returns may still be unsupported here
// (check Traits).
func ParseType(name string) (Type, error) {
	for t, s := range typeNames {
		if strings.EqualFold(s, name) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("quant: unknown type name %q", name)
}

// VecDotFunc computes the dot product of n elements: w holds n/BlockSize
// blocks of a weight type, act holds the same n elements quantized to that
// type's VecDotType. n must be a multiple of both block sizes, and w and act
// must hold at least that many blocks.
type VecDotFunc = func(n int, w []byte, act []byte) float32

// Traits describes one element type: its block geometry and its reference
// conversion and dot-product routines. The table is indexed by Type.
type Traits struct {
	Name      string // ggml's type name, as String returns
	BlockSize int    // elements per block (1 for F32/F16/BF16)
	TypeSize  int    // bytes per block

	// ToFloat dequantizes len(dst) elements (a multiple of BlockSize) from
	// len(dst)/BlockSize blocks in src, bit for bit as ggml's to_float.
	ToFloat func(src []byte, dst []float32)
	// FromFloat quantizes len(src) elements (a multiple of BlockSize) into
	// len(src)/BlockSize blocks in dst with a reference-quality quantizer.
	// For the activation types (Q8_0, Q8_1, Q8_K) see also QuantizeActivation.
	FromFloat func(src []float32, dst []byte)

	// VecDotType is the format activations are quantized to before a dot
	// product with weights of this type: F32 for F32, F16 for F16, BF16 for
	// BF16, Q8_0 for Q4_0/Q5_0/Q8_0, Q8_1 for Q4_1/Q5_1, Q8_K for Q2_K..Q6_K.
	VecDotType Type
	// VecDot is the dot product used by MatMul: a kernel of kernels/amd64
	// or kernels/arm64 where the CPU runs one (installed at start-up, see
	// UseFastKernels), else RefVecDot. Nil for the activation-only types
	// Q8_1 and Q8_K.
	VecDot VecDotFunc
	// RefVecDot is the plain-Go scalar dot product, computed as ggml's
	// generic code does (integer sums per block, then scaled by the block's
	// float scales). It is the oracle for VecDot and never replaced.
	RefVecDot VecDotFunc
	// VecDotRows, if set, computes VecDot for several consecutive rows at
	// once; MatMul uses it for single-token products. Set with the fast
	// kernels (UseFastKernels) or SetVecDotRows; nil on the Go path.
	VecDotRows VecDotRowsFunc
	// VecDotTokens, if set, computes VecDot of one weight row against
	// several tokens' activations, bit-identical to VecDot per token;
	// MatMat uses it. Set with the fast kernels; nil on the Go path.
	VecDotTokens VecDotTokensFunc
	// VecDotTile, if set, computes VecDot for a tile of several weight
	// rows against several tokens, bit-identical to VecDot per pair;
	// MatMat prefers it to VecDotTokens. Set with the fast kernels; nil on
	// the Go path.
	VecDotTile VecDotTileFunc
	// Gemm, if set, is a matrix-matrix product of float weights (F32, F16,
	// BF16) with float32 activations; MatMat uses it for two or more
	// tokens, after rounding the activations to VecDotType as ggml does.
	// Set with the fast kernels; nil on the Go path.
	Gemm GemmFunc

	// QuantizeAct converts activations to this type for MatMul (rows of
	// the activation types F32, F16, BF16, Q8_0, Q8_1, Q8_K; nil for the
	// others). It is byte-identical to QuantizeActivation, the reference:
	// a kernel package's quantizer when the fast kernels are installed.
	// One exception: a Q8_0/Q8_1/Q8_K block whose largest magnitude is
	// nonzero but below 127/MaxFloat32 (about 3.7e-37) makes the scale
	// 127/amax infinite; ggml's result is then platform-specific and so
	// are these (the quants are garbage in every implementation).
	QuantizeAct func(src []float32, dst []byte)
}

// VecDotTokensFunc computes out[t*outStride] = VecDot(n, w, act[t*actStride:])
// for t < nTok: one weight row w against nTok activation rows that start
// actStride bytes apart. out must hold (nTok-1)*outStride+1 values.
type VecDotTokensFunc = func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int)

// VecDotTileFunc computes out[t*outStride + r] = VecDot(n, w[r*rowStride:],
// act[t*actStride:]) for r < nRows and t < nTok: nRows weight rows that
// start rowStride bytes apart against nTok activation rows that start
// actStride bytes apart, each weight and activation block loaded once per
// register tile rather than once per pair. out must hold
// (nTok-1)*outStride + nRows values, outStride >= nRows.
type VecDotTileFunc = func(n int, w []byte, rowStride, nRows int, act []byte, actStride, nTok int, out []float32, outStride int)

// GemmFunc computes out[t*outStride + r] = sum over k < n of W[r][k] *
// x[t*n + k] for r < nRows and t < nTok: nRows consecutive weight rows of
// n elements in w against nTok float32 activation rows stored token-major
// in x. outStride >= nRows; out must hold (nTok-1)*outStride + nRows
// values. It returns an error for bad shapes.
type GemmFunc = func(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error

// traits is the type table. A zero row (Name == "") is an unsupported type.
var traits = [...]Traits{
	F32:  {Name: "f32", BlockSize: 1, TypeSize: 4, ToFloat: dequantF32, FromFloat: quantF32, VecDotType: F32, RefVecDot: dotF32},
	F16:  {Name: "f16", BlockSize: 1, TypeSize: 2, ToFloat: dequantF16, FromFloat: quantF16, VecDotType: F16, RefVecDot: dotF16},
	BF16: {Name: "bf16", BlockSize: 1, TypeSize: 2, ToFloat: dequantBF16, FromFloat: quantBF16, VecDotType: BF16, RefVecDot: dotBF16},
	Q4_0: {Name: "q4_0", BlockSize: 32, TypeSize: 18, ToFloat: dequantQ4_0, FromFloat: quantQ4_0, VecDotType: Q8_0, RefVecDot: dotQ4_0Q8_0},
	Q4_1: {Name: "q4_1", BlockSize: 32, TypeSize: 20, ToFloat: dequantQ4_1, FromFloat: quantQ4_1, VecDotType: Q8_1, RefVecDot: dotQ4_1Q8_1},
	Q5_0: {Name: "q5_0", BlockSize: 32, TypeSize: 22, ToFloat: dequantQ5_0, FromFloat: quantQ5_0, VecDotType: Q8_0, RefVecDot: dotQ5_0Q8_0},
	Q5_1: {Name: "q5_1", BlockSize: 32, TypeSize: 24, ToFloat: dequantQ5_1, FromFloat: quantQ5_1, VecDotType: Q8_1, RefVecDot: dotQ5_1Q8_1},
	Q8_0: {Name: "q8_0", BlockSize: 32, TypeSize: 34, ToFloat: dequantQ8_0, FromFloat: quantQ8_0, VecDotType: Q8_0, RefVecDot: dotQ8_0Q8_0},
	Q8_1: {Name: "q8_1", BlockSize: 32, TypeSize: 36, ToFloat: dequantQ8_1, FromFloat: actQ8_1, VecDotType: Q8_1},
	Q2_K: {Name: "q2_K", BlockSize: 256, TypeSize: 84, ToFloat: dequantQ2_K, FromFloat: quantQ2_K, VecDotType: Q8_K, RefVecDot: dotQ2_KQ8_K},
	Q3_K: {Name: "q3_K", BlockSize: 256, TypeSize: 110, ToFloat: dequantQ3_K, FromFloat: quantQ3_K, VecDotType: Q8_K, RefVecDot: dotQ3_KQ8_K},
	Q4_K: {Name: "q4_K", BlockSize: 256, TypeSize: 144, ToFloat: dequantQ4_K, FromFloat: quantQ4_K, VecDotType: Q8_K, RefVecDot: dotQ4_KQ8_K},
	Q5_K: {Name: "q5_K", BlockSize: 256, TypeSize: 176, ToFloat: dequantQ5_K, FromFloat: quantQ5_K, VecDotType: Q8_K, RefVecDot: dotQ5_KQ8_K},
	Q6_K: {Name: "q6_K", BlockSize: 256, TypeSize: 210, ToFloat: dequantQ6_K, FromFloat: quantQ6_K, VecDotType: Q8_K, RefVecDot: dotQ6_KQ8_K},
	Q8_K: {Name: "q8_K", BlockSize: 256, TypeSize: 292, ToFloat: dequantQ8_K, FromFloat: actQ8_K, VecDotType: Q8_K},
}

// Traits returns t's row of the type table, or false if t is not
// supported here. The row is shared: callers must not modify it (use
// SetVecDot to install a faster kernel).
func (t Type) Traits() (*Traits, bool) {
	if int(t) >= len(traits) || traits[t].Name == "" {
		return nil, false
	}
	return &traits[t], true
}

// SetVecDot installs fn as t's VecDot, the dot product MatMul uses, and
// removes t's VecDotRows, VecDotTokens, VecDotTile and Gemm (kernels that must agree
// with VecDot; SetVecDotRows may add one back). It is meant for start-up
// (before any MatMul runs) and is not safe to call concurrently with
// MatMul. A nil fn restores RefVecDot.
func SetVecDot(t Type, fn VecDotFunc) error {
	tr, ok := t.Traits()
	if !ok || tr.RefVecDot == nil {
		return fmt.Errorf("quant: SetVecDot: %v is not a weight type", t)
	}
	if fn == nil {
		fn = tr.RefVecDot
	}
	tr.VecDot, tr.VecDotRows, tr.VecDotTokens, tr.VecDotTile, tr.Gemm = fn, nil, nil, nil, nil
	return nil
}

// SetVecDotRows installs fn as t's VecDotRows (nil removes it). Like
// SetVecDot it is meant for init time.
func SetVecDotRows(t Type, fn VecDotRowsFunc) error {
	tr, ok := t.Traits()
	if !ok || tr.RefVecDot == nil {
		return fmt.Errorf("quant: SetVecDotRows: %v is not a weight type", t)
	}
	tr.VecDotRows = fn
	return nil
}

// RowSize returns the bytes of a row of n elements of type t. It fails if t
// is unsupported or n is negative or not a multiple of t's block size.
func RowSize(t Type, n int) (int, error) {
	tr, ok := t.Traits()
	if !ok {
		return 0, fmt.Errorf("quant: row size: unsupported type %v", t)
	}
	if n < 0 || n%tr.BlockSize != 0 {
		return 0, fmt.Errorf("quant: row size: %d elements of %v is not a multiple of the block size %d", n, t, tr.BlockSize)
	}
	return n / tr.BlockSize * tr.TypeSize, nil
}

// Dequantize converts len(dst) elements of type t from src to float32,
// bit for bit as ggml's to_float. len(src) must be exactly RowSize(t,
// len(dst)); otherwise, or if t is unsupported, it returns an error and
// leaves dst unchanged.
func Dequantize(t Type, src []byte, dst []float32) error {
	want, err := RowSize(t, len(dst))
	if err != nil {
		return fmt.Errorf("quant: dequantize: %w", err)
	}
	if len(src) != want {
		return fmt.Errorf("quant: dequantize %d elements of %v: have %d bytes, want %d", len(dst), t, len(src), want)
	}
	traits[t].ToFloat(src, dst)
	return nil
}

// Quantize converts len(src) float32 elements into type t in dst with the
// type's reference quantizer. len(dst) must be exactly RowSize(t,
// len(src)); otherwise, or if t is unsupported, it returns an error.
func Quantize(t Type, src []float32, dst []byte) error {
	want, err := RowSize(t, len(src))
	if err != nil {
		return fmt.Errorf("quant: quantize: %w", err)
	}
	if len(dst) != want {
		return fmt.Errorf("quant: quantize %d elements to %v: have %d bytes, want %d", len(src), t, len(dst), want)
	}
	traits[t].FromFloat(src, dst)
	return nil
}
