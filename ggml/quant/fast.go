package quant

import (
	"fmt"
	"os"
	"strings"
)

// KernelsEnv is the environment variable read once at start-up: the value
// "go" makes the package keep its Go reference kernels; anything else
// (or unset) installs the fastest kernels the CPU runs.
const KernelsEnv = "LIMNX_KERNELS"

// kernelInfo is the line KernelInfo returns. Its initializer installs the
// kernels: Go initializes package variables in dependency order before any
// init function runs, so the table (traits, which installKernels reads) is
// built first and no init function can undo the installation, whatever
// the file order.
var kernelInfo = installKernels(os.Getenv(KernelsEnv) != "go")

// fastOn records the last installKernels argument (tests restore it).
var fastOn bool

// KernelInfo returns a one-line description of the kernels in use, for a
// -v flag: which weight types run fast kernels and the CPU features
// chosen, or that the Go references run and why.
func KernelInfo() string { return kernelInfo }

// UseFastKernels installs (on) the fastest kernels this CPU runs for
// every weight type they cover, or (!on) restores the Go references, and
// returns KernelInfo's line. The fast kernels are installed at start-up
// unless the environment sets LIMNX_KERNELS=go, so programs need not call
// it; UseFastKernels(false) is the flag that forces the Go path. Like
// SetVecDot it is for start-up, before any MatMul runs (not safe to call
// while one does). Where no kernel package runs (no AVX2+FMA+F16C on
// amd64, a GOARCH other than amd64 and arm64) every type keeps its Go
// reference whatever on is.
//
// What changes with the fast kernels: VecDot and VecDotRows compute the
// same integer block sums as RefVecDot, in another float accumulation
// order (within a few float32 ulps of the sum of the absolute block
// terms); MatMat also uses VecDotTile and VecDotTokens (bit-identical to VecDot
// per row and token) and, for F16, F32 and BF16 weights, Gemm (same products, another
// summation order). The activation quantizers are byte-identical.
func UseFastKernels(on bool) string {
	kernelInfo = installKernels(on)
	return kernelInfo
}

// installKernels sets every row's kernels to the Go references, then, if
// on, replaces them with the architecture's fast kernels where it has
// them, and returns the description line.
func installKernels(on bool) string {
	fastOn = on
	axpyF32 = refAxpyF32
	gemmF32, gemmF16 = refGemmF32, refGemmF16
	if f32, f16, ok := lookupFastGemm(); ok && on {
		if f32 != nil {
			gemmF32 = f32
		}
		if f16 != nil {
			gemmF16 = f16
		}
	}
	if f, ok := lookupFastAxpy(); ok && on {
		axpyF32 = f
	}
	var names []string
	for i := range traits {
		tr := &traits[i]
		if tr.Name == "" {
			continue
		}
		tr.VecDot, tr.VecDotRows, tr.VecDotTokens, tr.VecDotTile, tr.Gemm = tr.RefVecDot, nil, nil, nil, nil
		tr.QuantizeAct = nil
		if ref, ok := refActQuant(Type(i)); ok {
			tr.QuantizeAct = ref
			if on {
				if q, ok := lookupFastQuantizer(Type(i)); ok && q.Name == tr.Name && q.Quantize != nil {
					tr.QuantizeAct = q.Quantize
				}
			}
		}
		if !on || tr.RefVecDot == nil {
			continue
		}
		k, ok := lookupFast(Type(i))
		// The row must be the one for this type (name, activation type and
		// block size agree), so a mix-up of the tables cannot install a
		// kernel that computes something else.
		if !ok || k.Dot == nil || k.Name != tr.Name || Type(k.ActType) != tr.VecDotType || k.BlockSize != tr.BlockSize {
			continue
		}
		tr.VecDot, tr.VecDotRows, tr.VecDotTokens, tr.VecDotTile, tr.Gemm = k.Dot, k.DotRows, k.DotTokens, k.DotTile, k.Gemm
		names = append(names, tr.Name)
	}
	switch {
	case !on:
		return "quant: Go reference kernels (forced); " + fastFeatures()
	case len(names) == 0:
		return "quant: Go reference kernels; " + fastFeatures()
	}
	return fmt.Sprintf("quant: fast kernels for %s; %s", strings.Join(names, " "), fastFeatures())
}
