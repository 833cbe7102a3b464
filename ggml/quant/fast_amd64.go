package quant

import (
	"github.com/limnx/limnx/kernels"
	kamd64 "github.com/limnx/limnx/kernels/amd64"
)

// The amd64 hooks of installKernels: the AVX2+FMA+F16C (and AVX512_VNNI)
// kernels of kernels/amd64, present when the CPU runs them.

func lookupFast(t Type) (kernels.Kernel, bool) { return kamd64.Lookup(uint32(t)) }

func lookupFastQuantizer(t Type) (kernels.Quantizer, bool) { return kamd64.LookupQuantizer(uint32(t)) }

func fastFeatures() string { return kamd64.Features() }

func lookupFastAxpy() (func(a float32, x, y []float32), bool) {
	return kamd64.AxpyF32, kamd64.Enabled()
}

func lookupFastGemm() (gemmF32Func, gemmF16Func, bool) {
	return kamd64.GemmF32Strided, kamd64.GemmF16Strided, kamd64.Enabled()
}
