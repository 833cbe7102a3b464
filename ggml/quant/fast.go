package quant

import (
	"fmt"

	kamd64 "github.com/limnx/limnx/kernels/amd64"
)

// UseFastKernels installs (on) or removes (!on) the SIMD dot kernels of
// kernels/amd64 as the VecDot and VecDotRows of every weight type they
// cover, and returns a one-line description for a -v flag. Like SetVecDot
// it is for start-up, before any MatMul runs; UseFastKernels(false) is the
// boot flag that forces the Go path. Where the kernels cannot run (no
// AVX2+FMA+F16C, or another GOARCH) every type keeps its Go reference.
//
// The fast kernels compute the same integer block sums as RefVecDot and
// differ only in the order of the float accumulation (relative error a few
// float32 ulps of the sum of absolute block terms), so they are not
// installed by default: RefVecDot stays bit-for-bit ggml's generic code.
func UseFastKernels(on bool) string {
	var names []string
	for i := range traits {
		tr := &traits[i]
		if tr.RefVecDot == nil {
			continue
		}
		tr.VecDot, tr.VecDotRows = tr.RefVecDot, nil
		if !on {
			continue
		}
		k, ok := kamd64.Lookup(uint32(i))
		if !ok || k.Name != tr.Name || k.ActType != uint32(tr.VecDotType) || k.BlockSize != tr.BlockSize {
			continue
		}
		tr.VecDot, tr.VecDotRows = k.Dot, k.DotRows
		names = append(names, tr.Name)
	}
	if len(names) == 0 {
		return "quant: Go reference kernels; " + kamd64.Features()
	}
	return fmt.Sprintf("quant: fast kernels for %v; %s", names, kamd64.Features())
}
