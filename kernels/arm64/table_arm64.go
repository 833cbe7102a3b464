package arm64

import (
	"fmt"
	"strings"
)

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

// DotRowsFunc computes out[i] = Dot(n, row i, act) for len(out)
// consecutive weight rows of n elements each in w (ggml/quant's VecDotRows).
type DotRowsFunc = func(n int, w, act []byte, out []float32)

// DotTokensFunc computes out[t*outStride] = Dot(n, w, act[t*actStride:])
// for t < nTok: one weight row against nTok activation rows (prompt
// processing), bit-identical to Dot per token.
type DotTokensFunc = func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int)

// Kernel is one row of the dot-product table: the NEON kernels for one
// weight type. It has the shape of kernels/amd64's Kernel, so ggml/quant
// can install either the same way.
type Kernel struct {
	Type      uint32      // ggml type number of the weights
	Name      string      // ggml type name of the weights, "q4_K"
	ActType   uint32      // ggml type number of the activation blocks (ggml's vec_dot_type)
	BlockSize int         // elements per weight block; n must be a multiple
	Dot       DotFunc     // the kernel
	DotRows   DotRowsFunc // Dot over consecutive rows; bit-identical to Dot per row
	// DotTokens is one row against several tokens, bit-identical to Dot
	// per token: four-token assembly (each weight block unpacked once for
	// four tokens) for Q8_0, Q4_K and Q6_K, a loop over Dot otherwise.
	DotTokens DotTokensFunc
}

// kernelTable is filled by init and immutable afterwards.
var kernelTable = []Kernel{
	{Type: typeF32, Name: "f32", ActType: typeF32, BlockSize: 1, Dot: DotF32},
	{Type: typeF16, Name: "f16", ActType: typeF16, BlockSize: 1, Dot: DotF16},
	{Type: typeQ4_0, Name: "q4_0", ActType: typeQ8_0, BlockSize: qk, Dot: DotQ4_0},
	{Type: typeQ4_1, Name: "q4_1", ActType: typeQ8_1, BlockSize: qk, Dot: DotQ4_1},
	{Type: typeQ5_0, Name: "q5_0", ActType: typeQ8_0, BlockSize: qk, Dot: DotQ5_0},
	{Type: typeQ5_1, Name: "q5_1", ActType: typeQ8_1, BlockSize: qk, Dot: DotQ5_1},
	{Type: typeQ8_0, Name: "q8_0", ActType: typeQ8_0, BlockSize: qk, Dot: DotQ8_0},
	{Type: typeQ2_K, Name: "q2_K", ActType: typeQ8_K, BlockSize: qkK, Dot: DotQ2_K},
	{Type: typeQ3_K, Name: "q3_K", ActType: typeQ8_K, BlockSize: qkK, Dot: DotQ3_K},
	{Type: typeQ4_K, Name: "q4_K", ActType: typeQ8_K, BlockSize: qkK, Dot: DotQ4_K},
	{Type: typeQ5_K, Name: "q5_K", ActType: typeQ8_K, BlockSize: qkK, Dot: DotQ5_K},
	{Type: typeQ6_K, Name: "q6_K", ActType: typeQ8_K, BlockSize: qkK, Dot: DotQ6_K},
	{Type: typeBF16, Name: "bf16", ActType: typeBF16, BlockSize: 1, Dot: DotBF16},
}

// weightBytes gives the bytes per weight block of each type in kernelTable.
var weightBytes = map[uint32]int{
	typeF32: 4, typeF16: 2, typeBF16: 2, typeQ4_0: sizeQ4_0, typeQ4_1: sizeQ4_1,
	typeQ5_0: sizeQ5_0, typeQ5_1: sizeQ5_1, typeQ8_0: sizeQ8_0, typeQ2_K: sizeQ2_K,
	typeQ3_K: sizeQ3_K, typeQ4_K: sizeQ4_K, typeQ5_K: sizeQ5_K, typeQ6_K: sizeQ6_K,
}

// x4ActSizes are the activation block sizes of the types with a
// four-token kernel (see x4).
var x4ActSizes = map[uint32]int{
	typeQ8_0: sizeQ8_0,
	typeQ4_K: sizeQ8_K,
	typeQ6_K: sizeQ8_K,
}

// x4 runs the four-token kernel of weight type typ (a key of x4ActSizes).
// The calls are direct, not through a func value, so that out stays on
// the caller's stack (go:noescape holds only for direct calls).
func x4(typ uint32, nb int, w, act *byte, stride int, out *[4]float32) {
	switch typ {
	case typeQ8_0:
		dotQ8_0x4(nb, w, act, stride, useSDOT, out)
	case typeQ4_K:
		dotQ4_Kx4(nb, w, act, stride, useSDOT, out)
	case typeQ6_K:
		dotQ6_Kx4(nb, w, act, stride, useSDOT, out)
	default:
		panic("kernels/arm64: x4: no four-token kernel for this type (x4ActSizes and x4 disagree)")
	}
}

func init() {
	for i := range kernelTable {
		k := &kernelTable[i]
		k.DotRows = rowsOf(k.Dot, k.BlockSize, weightBytes[k.Type])
		k.DotTokens = tokensOf(k.Dot)
		if aSize, ok := x4ActSizes[k.Type]; ok {
			k.DotTokens = tokensX4(k.Name, k.Type, k.Dot, k.BlockSize, weightBytes[k.Type], aSize)
		}
	}
}

// tokensOf makes the DotTokens of a Dot: one call per token.
func tokensOf(dot DotFunc) DotTokensFunc {
	return func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int) {
		for t := 0; t < nTok; t++ {
			out[t*outStride] = dot(n, w, act[t*actStride:])
		}
	}
}

// tokensX4 makes a DotTokens that runs tokens four at a time through the
// four-token kernel of typ (x4) and the remaining ones through dot.
func tokensX4(name string, typ uint32, dot DotFunc, blockSize, wSize, aSize int) DotTokensFunc {
	label := name + " DotTokens" // made once: a concatenation per call would allocate
	return func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int) {
		if nTok <= 0 {
			return
		}
		nb := blocks(label, n, blockSize, wSize, aSize, w, act)
		if nb == 0 || nTok < 4 {
			for t := 0; t < nTok; t++ {
				out[t*outStride] = dot(n, w, act[t*actStride:])
			}
			return
		}
		if actStride < nb*aSize || len(act) < (nTok-1)*actStride+nb*aSize || len(out) < (nTok-1)*outStride+1 {
			panic(fmt.Sprintf("kernels/arm64: %s DotTokens: %d tokens with stride %d need %d activation bytes (have %d) and %d outputs (have %d)",
				name, nTok, actStride, (nTok-1)*actStride+nb*aSize, len(act), (nTok-1)*outStride+1, len(out)))
		}
		var r [4]float32
		t := 0
		for ; t+4 <= nTok; t += 4 {
			x4(typ, nb, &w[0], &act[t*actStride], actStride, &r)
			for i, v := range r {
				out[(t+i)*outStride] = v
			}
		}
		for ; t < nTok; t++ {
			out[t*outStride] = dot(n, w, act[t*actStride:])
		}
	}
}

// rowsOf makes the DotRows of a Dot: one call per row, without the
// caller's indirect call per row.
func rowsOf(dot DotFunc, blockSize, blockBytes int) DotRowsFunc {
	return func(n int, w, act []byte, out []float32) {
		rb := n / blockSize * blockBytes
		w = w[:len(out)*rb]
		for i := range out {
			out[i] = dot(n, w[i*rb:(i+1)*rb], act)
		}
	}
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
