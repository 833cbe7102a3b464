package arm64

import (
	"fmt"
	"strings"

	"github.com/limnx/limnx/kernels"
)

// The table's shapes, shared with kernels/amd64 and read by ggml/quant.
// Here DotTokens is four-token assembly (each weight block unpacked once
// for four tokens) for Q8_0, Q4_K and Q6_K, a loop over Dot otherwise;
// DotTile and Gemm are not written for arm64 yet (nil).
type (
	DotFunc       = kernels.DotFunc
	DotRowsFunc   = kernels.DotRowsFunc
	DotTokensFunc = kernels.DotTokensFunc
	Kernel        = kernels.Kernel
)

// kernelTable is filled by init and immutable afterwards.
var kernelTable = []Kernel{
	{Type: kernels.TypeF32, Name: "f32", ActType: kernels.TypeF32, BlockSize: 1, Dot: DotF32},
	{Type: kernels.TypeF16, Name: "f16", ActType: kernels.TypeF16, BlockSize: 1, Dot: DotF16},
	{Type: kernels.TypeQ4_0, Name: "q4_0", ActType: kernels.TypeQ8_0, BlockSize: qk, Dot: DotQ4_0},
	{Type: kernels.TypeQ4_1, Name: "q4_1", ActType: kernels.TypeQ8_1, BlockSize: qk, Dot: DotQ4_1},
	{Type: kernels.TypeQ5_0, Name: "q5_0", ActType: kernels.TypeQ8_0, BlockSize: qk, Dot: DotQ5_0},
	{Type: kernels.TypeQ5_1, Name: "q5_1", ActType: kernels.TypeQ8_1, BlockSize: qk, Dot: DotQ5_1},
	{Type: kernels.TypeQ8_0, Name: "q8_0", ActType: kernels.TypeQ8_0, BlockSize: qk, Dot: DotQ8_0},
	{Type: kernels.TypeQ2_K, Name: "q2_K", ActType: kernels.TypeQ8_K, BlockSize: qkK, Dot: DotQ2_K},
	{Type: kernels.TypeQ3_K, Name: "q3_K", ActType: kernels.TypeQ8_K, BlockSize: qkK, Dot: DotQ3_K},
	{Type: kernels.TypeQ4_K, Name: "q4_K", ActType: kernels.TypeQ8_K, BlockSize: qkK, Dot: DotQ4_K},
	{Type: kernels.TypeQ5_K, Name: "q5_K", ActType: kernels.TypeQ8_K, BlockSize: qkK, Dot: DotQ5_K},
	{Type: kernels.TypeQ6_K, Name: "q6_K", ActType: kernels.TypeQ8_K, BlockSize: qkK, Dot: DotQ6_K},
	{Type: kernels.TypeBF16, Name: "bf16", ActType: kernels.TypeBF16, BlockSize: 1, Dot: DotBF16},
}

// weightBytes gives the bytes per weight block of each type in kernelTable.
var weightBytes = map[uint32]int{
	kernels.TypeF32: 4, kernels.TypeF16: 2, kernels.TypeBF16: 2, kernels.TypeQ4_0: sizeQ4_0, kernels.TypeQ4_1: sizeQ4_1,
	kernels.TypeQ5_0: sizeQ5_0, kernels.TypeQ5_1: sizeQ5_1, kernels.TypeQ8_0: sizeQ8_0, kernels.TypeQ2_K: sizeQ2_K,
	kernels.TypeQ3_K: sizeQ3_K, kernels.TypeQ4_K: sizeQ4_K, kernels.TypeQ5_K: sizeQ5_K, kernels.TypeQ6_K: sizeQ6_K,
}

// x4ActSizes are the activation block sizes of the types with a
// four-token kernel (see x4).
var x4ActSizes = map[uint32]int{
	kernels.TypeQ8_0: sizeQ8_0,
	kernels.TypeQ4_K: sizeQ8_K,
	kernels.TypeQ6_K: sizeQ8_K,
}

// x4 runs the four-token kernel of weight type typ (a key of x4ActSizes).
// The calls are direct, not through a func value, so that out stays on
// the caller's stack (go:noescape holds only for direct calls).
func x4(typ uint32, nb int, w, act *byte, stride int, out *[4]float32) {
	switch typ {
	case kernels.TypeQ8_0:
		dotQ8_0x4(nb, w, act, stride, useSDOT, out)
	case kernels.TypeQ4_K:
		dotQ4_Kx4(nb, w, act, stride, useSDOT, out)
	case kernels.TypeQ6_K:
		dotQ6_Kx4(nb, w, act, stride, useSDOT, out)
	default:
		panic("kernels/arm64: x4: no four-token kernel for this type (x4ActSizes and x4 disagree)")
	}
}

func init() {
	for i := range kernelTable {
		k := &kernelTable[i]
		k.DotRows = rowsOf(k.Dot, k.BlockSize, weightBytes[k.Type])
		k.DotTokens = kernels.TokensOf(k.Dot)
		if aSize, ok := x4ActSizes[k.Type]; ok {
			k.DotTokens = tokensX4(k.Name, k.Type, k.Dot, k.BlockSize, weightBytes[k.Type], aSize)
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
