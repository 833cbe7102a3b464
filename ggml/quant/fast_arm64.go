package quant

import (
	"github.com/limnx/limnx/kernels"
	karm64 "github.com/limnx/limnx/kernels/arm64"
)

// The arm64 hooks of installKernels: the NEON (and SDOT) kernels of
// kernels/arm64, which every arm64 CPU runs.

func lookupFast(t Type) (kernels.Kernel, bool) { return karm64.Lookup(uint32(t)) }

func lookupFastQuantizer(t Type) (kernels.Quantizer, bool) { return karm64.LookupQuantizer(uint32(t)) }

func fastFeatures() string { return karm64.Features() }

// kernels/arm64 has no axpy: AxpyF32 stays a Go loop.
func lookupFastAxpy() (func(a float32, x, y []float32), bool) { return nil, false }

// kernels/arm64 has no F32 Gemm (GemmF32 is DotF32 per pair, NEON);
// GemmF16 is its NEON F16 x F32 dot per pair.
func lookupFastGemm() (gemmF32Func, gemmF16Func, bool) { return nil, karm64.GemmF16Strided, true }
