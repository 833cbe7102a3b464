package amd64_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/kernels/amd64"
)

// TestAxpyF32: AxpyF32 equals a Go loop of fused multiply-adds bit for bit
// for lengths around the vector widths and misaligned slices, and leaves
// y's elements past len(y) alone.
func TestAxpyF32(t *testing.T) {
	r := rand.New(rand.NewPCG(91, 92))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 64, 128, 131} {
		x := make([]float32, n+1)[1:]
		buf := make([]float32, n+2)
		y := buf[1 : n+1]
		for i := range x {
			x[i] = float32(r.NormFloat64())
			y[i] = float32(r.NormFloat64())
		}
		buf[n+1] = -7
		a := float32(r.NormFloat64())
		want := make([]float32, n)
		for i := range want {
			want[i] = float32(math.FMA(float64(a), float64(x[i]), float64(y[i])))
		}
		amd64.AxpyF32(a, x, y)
		for i := range want {
			if math.Float32bits(y[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n=%d: y[%d] = %g, want %g", n, i, y[i], want[i])
			}
		}
		if buf[n+1] != -7 {
			t.Fatalf("n=%d: wrote past len(y)", n)
		}
	}
	x, y := make([]float32, 128), make([]float32, 128)
	if a := testing.AllocsPerRun(100, func() { amd64.AxpyF32(0.5, x, y) }); a != 0 {
		t.Errorf("AxpyF32: %g allocations per call", a)
	}
}
