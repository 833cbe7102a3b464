package amd64

import (
	"sort"

	"github.com/limnx/limnx/kernels"
)

// The table's shapes, shared with kernels/arm64 and read by ggml/quant.
type (
	DotFunc       = kernels.DotFunc
	DotRowsFunc   = kernels.DotRowsFunc
	DotTokensFunc = kernels.DotTokensFunc
	DotTileFunc   = kernels.DotTileFunc
	GemmFunc      = kernels.GemmFunc
	Kernel        = kernels.Kernel
	QuantizeFunc  = kernels.QuantizeFunc
	Quantizer     = kernels.Quantizer
)

// dots and quantizers are filled once by the amd64 init when the CPU has the
// baseline ISA, and are immutable afterwards.
var (
	dots       = map[uint32]Kernel{}
	quantizers = map[uint32]Quantizer{}
)

// Lookup returns the fast dot kernel for weights of ggml type t, or false
// when there is none on this CPU (the caller keeps its Go reference).
func Lookup(t uint32) (Kernel, bool) {
	k, ok := dots[t]
	return k, ok
}

// Kernels lists the available dot kernels in type order (empty when Enabled
// is false).
func Kernels() []Kernel {
	ks := make([]Kernel, 0, len(dots))
	for _, k := range dots {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].Type < ks[j].Type })
	return ks
}

// LookupQuantizer returns the fast activation quantizer for ggml type t
// (Q8_0, Q8_1, Q8_K, F16 or BF16), or false when there is none on this
// CPU.
func LookupQuantizer(t uint32) (Quantizer, bool) {
	q, ok := quantizers[t]
	return q, ok
}
