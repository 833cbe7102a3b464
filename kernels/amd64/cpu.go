package amd64

import (
	"runtime"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// hasAVX2 reports whether the AVX2+FMA+F16C baseline kernels can run. It is
// set once at package initialization and never changes.
var hasAVX2 = runtime.GOARCH == "amd64" &&
	cpuid.CPU.Supports(cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.F16C)

// hasVNNI reports whether the AVX512_VNNI forms of the integer kernels
// can run: EVEX-encoded VPDPBUSD/VPDPWSSD on 256-bit registers need
// AVX512F, AVX512VL and AVX512_VNNI (cpuid also checks that the OS saves
// the AVX-512 state). Set once at package initialization.
var hasVNNI = hasAVX2 && cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512VNNI)

// useVNNI selects the VNNI forms where hasVNNI; they give bit-identical
// results, so it only changes speed. Immutable after initialization
// except in tests.
var useVNNI = hasVNNI

// Enabled reports whether this CPU runs the package's kernels (AVX2, FMA and
// F16C present, GOARCH amd64). When it is false, Lookup and LookupQuantizer
// find nothing and callers keep their Go references.
func Enabled() bool { return hasAVX2 }

// Features describes, in one line for a -v flag, which kernel set is in
// use and what else the CPU offers, for example
// "kernels/amd64: avx2+fma+f16c, avx512vnni+vl for the integer kernels (cpu: AMD EPYC; also has avx512f avx512bw avx512vnni)".
func Features() string {
	var b strings.Builder
	b.WriteString("kernels/amd64: ")
	switch {
	case !hasAVX2:
		b.WriteString("off (needs amd64 with avx2, fma, f16c; using Go references)")
	case useVNNI:
		b.WriteString("avx2+fma+f16c, avx512vnni+vl for the integer kernels")
	default:
		b.WriteString("avx2+fma+f16c")
	}
	b.WriteString(" (cpu: ")
	b.WriteString(strings.TrimSpace(cpuid.CPU.BrandName))
	var extra []string
	for _, f := range []struct {
		id   cpuid.FeatureID
		name string
	}{
		{cpuid.AVX512F, "avx512f"},
		{cpuid.AVX512BW, "avx512bw"},
		{cpuid.AVX512VNNI, "avx512vnni"},
		{cpuid.AVXVNNI, "avxvnni"},
	} {
		if cpuid.CPU.Supports(f.id) {
			extra = append(extra, f.name)
		}
	}
	if len(extra) > 0 {
		b.WriteString("; also has ")
		b.WriteString(strings.Join(extra, " "))
	}
	b.WriteString(")")
	return b.String()
}
