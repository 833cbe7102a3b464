package model

import (
	"os"
	"testing"

	"github.com/limnx/limnx/ggml/ops"
	"github.com/limnx/limnx/ggml/quant"
)

// startupFast is the kernel choice ggml/quant made at start-up: the fast
// kernels unless $LIMNX_KERNELS is "go". Tests that switch kernels restore
// it, so the tests after them run on the path a program would.
var startupFast = os.Getenv(quant.KernelsEnv) != "go"

// withKernels runs f with the fast kernels (where the CPU has them) or the
// Go reference kernels installed, then restores the start-up choice.
func withKernels(t testing.TB, fast bool, f func()) {
	t.Helper()
	t.Logf("%s; vector ops %v", quant.UseFastKernels(fast), ops.UseFastKernels(fast))
	defer quant.UseFastKernels(startupFast)
	defer ops.UseFastKernels(startupFast)
	f()
}

// kernelPaths names the two kernel paths every golden check runs on.
var kernelPaths = []struct {
	name string
	fast bool
}{
	{"kernels=go", false},
	{"kernels=fast", true},
}

// onBothPaths runs test as the subtests kernels=go and kernels=fast: the
// fast kernels differ from the Go references only in float accumulation
// order, and both must meet the golden tolerances.
func onBothPaths(t *testing.T, test func(t *testing.T)) {
	for _, p := range kernelPaths {
		t.Run(p.name, func(t *testing.T) { withKernels(t, p.fast, func() { test(t) }) })
	}
}

// TestWithKernelsRestores checks that switching kernels in a test leaves
// the start-up choice installed afterwards.
func TestWithKernelsRestores(t *testing.T) {
	want := quant.KernelInfo()
	for _, p := range kernelPaths {
		var during string
		withKernels(t, p.fast, func() { during = quant.KernelInfo() })
		if got := quant.KernelInfo(); got != want {
			t.Errorf("after %s: kernels %q, want the start-up %q", p.name, got, want)
		}
		if p.fast == startupFast && during != want {
			t.Errorf("%s: kernels %q, want %q", p.name, during, want)
		}
	}
}
