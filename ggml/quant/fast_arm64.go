package quant

import karm64 "github.com/limnx/limnx/kernels/arm64"

// The arm64 hooks of installKernels: the NEON (and SDOT) kernels of
// kernels/arm64, which every arm64 CPU runs.

func lookupFast(t Type) (fastKernel, bool) {
	k, ok := karm64.Lookup(uint32(t))
	if !ok {
		return fastKernel{}, false
	}
	return fastKernel{
		name: k.Name, actType: Type(k.ActType), blockSize: k.BlockSize,
		dot: k.Dot, rows: k.DotRows, tokens: k.DotTokens,
	}, true
}

func lookupFastQuantizer(t Type) (func([]float32, []byte), bool) {
	q, ok := karm64.LookupQuantizer(uint32(t))
	if !ok || q.Name != t.String() {
		return nil, false
	}
	return q.Quantize, true
}

func fastFeatures() string { return karm64.Features() }

// kernels/arm64 has no axpy: AxpyF32 stays a Go loop.
func lookupFastAxpy() (func(a float32, x, y []float32), bool) { return nil, false }

// kernels/arm64 has no Gemm: GemmF32 is DotF32 per pair, GemmF16 a Go loop.
func lookupFastGemm() (gemmF32Func, gemmF16Func, bool) { return nil, nil, false }
