package quant

import kamd64 "github.com/limnx/limnx/kernels/amd64"

// The amd64 hooks of installKernels: the AVX2+FMA+F16C (and AVX512_VNNI)
// kernels of kernels/amd64, present when the CPU runs them.

func lookupFast(t Type) (fastKernel, bool) {
	k, ok := kamd64.Lookup(uint32(t))
	if !ok {
		return fastKernel{}, false
	}
	return fastKernel{
		name: k.Name, actType: Type(k.ActType), blockSize: k.BlockSize,
		dot: k.Dot, rows: k.DotRows, tokens: k.DotTokens, tile: k.DotTile, gemm: k.Gemm,
	}, true
}

func lookupFastQuantizer(t Type) (func([]float32, []byte), bool) {
	q, ok := kamd64.LookupQuantizer(uint32(t))
	if !ok || q.Name != t.String() {
		return nil, false
	}
	return q.Quantize, true
}

func fastFeatures() string { return kamd64.Features() }

func lookupFastAxpy() (func(a float32, x, y []float32), bool) {
	return kamd64.AxpyF32, kamd64.Enabled()
}

func lookupFastGemm() (gemmF32Func, gemmF16Func, bool) {
	return kamd64.GemmF32Strided, kamd64.GemmF16Strided, kamd64.Enabled()
}
