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

// Enabled reports whether this CPU runs the package's kernels (AVX2, FMA and
// F16C present, GOARCH amd64). When it is false, Lookup and LookupQuantizer
// find nothing and callers keep their Go references.
func Enabled() bool { return hasAVX2 }

// Features describes, in one line for a -v flag, what the CPU offers and
// which kernel set is in use, for example
// "kernels/amd64: avx2+fma+f16c (cpu: AMD EPYC; also avx512f avx512bw avx512vnni, unused)".
func Features() string {
	var b strings.Builder
	b.WriteString("kernels/amd64: ")
	if hasAVX2 {
		b.WriteString("avx2+fma+f16c")
	} else {
		b.WriteString("off (needs amd64 with avx2, fma, f16c; using Go references)")
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
		b.WriteString("; also ")
		b.WriteString(strings.Join(extra, " "))
		b.WriteString(", unused")
	}
	b.WriteString(")")
	return b.String()
}
