package arm64

import "strings"

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

// DotFunc is the signature of every dot kernel, the same as ggml/quant's
// VecDot: the dot product of n elements of one weight row w (blocks of the
// weight type) with act (blocks of the activation type).
type DotFunc = func(n int, w, act []byte) float32

// Kernel is one row of the dot-product table: the NEON kernel for one
// weight type.
type Kernel struct {
	Type      uint32  // ggml type number of the weights
	Name      string  // ggml type name of the weights, "q4_K"
	ActType   uint32  // ggml type number of the activation blocks (ggml's vec_dot_type)
	BlockSize int     // elements per weight block; n must be a multiple
	Dot       DotFunc // the kernel
}

// kernelTable is immutable.
var kernelTable = []Kernel{
	{typeF32, "f32", typeF32, 1, DotF32},
	{typeF16, "f16", typeF16, 1, DotF16},
	{typeQ4_0, "q4_0", typeQ8_0, qk, DotQ4_0},
	{typeQ4_1, "q4_1", typeQ8_1, qk, DotQ4_1},
	{typeQ5_0, "q5_0", typeQ8_0, qk, DotQ5_0},
	{typeQ5_1, "q5_1", typeQ8_1, qk, DotQ5_1},
	{typeQ8_0, "q8_0", typeQ8_0, qk, DotQ8_0},
	{typeQ2_K, "q2_K", typeQ8_K, qkK, DotQ2_K},
	{typeQ3_K, "q3_K", typeQ8_K, qkK, DotQ3_K},
	{typeQ4_K, "q4_K", typeQ8_K, qkK, DotQ4_K},
	{typeQ5_K, "q5_K", typeQ8_K, qkK, DotQ5_K},
	{typeQ6_K, "q6_K", typeQ8_K, qkK, DotQ6_K},
	{typeBF16, "bf16", typeBF16, 1, DotBF16},
}

// Kernels lists the dot kernels in type order. ASIMD is part of every
// arm64 CPU, so the list is never empty.
func Kernels() []Kernel { return append([]Kernel(nil), kernelTable...) }

// Lookup returns the dot kernel for weights of ggml type t, or false when
// there is none (the caller keeps its Go reference).
func Lookup(t uint32) (Kernel, bool) {
	for _, k := range kernelTable {
		if k.Type == t {
			return k, true
		}
	}
	return Kernel{}, false
}

// Features describes, in one line for a -v flag, which kernel set is in
// use: "kernels/arm64: asimd+dotprod (13 kernels)" or, on CPUs without the
// dot-product extension, "kernels/arm64: asimd, no dotprod (13 kernels)".
func Features() string {
	var b strings.Builder
	b.WriteString("kernels/arm64: asimd")
	if useSDOT {
		b.WriteString("+dotprod")
	} else {
		b.WriteString(", no dotprod")
	}
	b.WriteString(" (13 kernels)")
	return b.String()
}
