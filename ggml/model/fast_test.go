package model

import (
	"testing"

	"github.com/limnx/limnx/ggml/quant"
)

// withFastKernels runs f with the SIMD dot kernels installed (where the
// CPU has them), then restores the Go reference kernels.
func withFastKernels(t testing.TB, f func()) {
	t.Logf("%s", quant.UseFastKernels(true))
	defer quant.UseFastKernels(false)
	f()
}

// TestGoldenFastKernels runs the golden checks with the fast kernels: they
// differ from the Go path only in float accumulation order.
func TestGoldenFastKernels(t *testing.T) {
	withFastKernels(t, func() {
		t.Run("logits", TestGoldenLogits)
		t.Run("generate", TestGoldenGenerate)
	})
}
