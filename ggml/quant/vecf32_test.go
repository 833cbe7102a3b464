package quant

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDotF32: on both kernel sets DotF32 is within 1e-6 of sum |a*b| of
// the float64 dot for lengths around the vector widths and misaligned
// slices, is exactly RefVecDot on the Go path, and does not allocate.
func TestDotF32(t *testing.T) {
	r := rand.New(rand.NewPCG(81, 82))
	for _, fast := range []bool{false, true} {
		setFastKernels(t, fast)
		for _, n := range []int{0, 1, 7, 8, 9, 31, 64, 128, 129, 1000} {
			a := gaussian(r, n+1, 1)[1:]
			b := gaussian(r, n+3, 1)[2:] // longer than a: the rest is ignored
			var want, abs float64
			for i := range a {
				want += float64(a[i]) * float64(b[i])
				abs += math.Abs(float64(a[i]) * float64(b[i]))
			}
			got := DotF32(a, b)
			if math.Abs(float64(got)-want) > 1e-6*abs {
				t.Errorf("fast %v, n=%d: DotF32 = %g, want %g", fast, n, got, want)
			}
			if !fast && n > 0 {
				if ref := dotF32(n, f32Bytes(a), f32Bytes(b)); math.Float32bits(got) != math.Float32bits(ref) {
					t.Errorf("Go path, n=%d: DotF32 = %g, RefVecDot %g", n, got, ref)
				}
			}
		}
		a, b := gaussian(r, 128, 1), gaussian(r, 128, 1)
		if allocs := testing.AllocsPerRun(100, func() { DotF32(a, b) }); allocs != 0 {
			t.Errorf("fast %v: DotF32: %g allocations per call", fast, allocs)
		}
	}
}

// BenchmarkDotF32 times a 128-element dot (one attention head) against a
// plain Go loop, on both kernel sets.
func BenchmarkDotF32(b *testing.B) {
	r := rand.New(rand.NewPCG(83, 84))
	x, y := gaussian(r, 128, 1), gaussian(r, 128, 1)
	var s float32
	b.Run("loop", func(b *testing.B) {
		for b.Loop() {
			var d float32
			for i, v := range x {
				d += v * y[i]
			}
			s += d
		}
	})
	for _, fast := range []bool{false, true} {
		UseFastKernels(fast)
		b.Run(fmt.Sprintf("fast=%v", fast), func(b *testing.B) {
			for b.Loop() {
				s += DotF32(x, y)
			}
		})
	}
	UseFastKernels(true)
	_ = s
}

// TestAxpyF32: on both kernel sets AxpyF32 is within 1 float32 ulp
// (relative 2^-23 of |a*x|+|y|) of the exact a*x+y, touches only y[:len(y)],
// and does not allocate.
func TestAxpyF32(t *testing.T) {
	r := rand.New(rand.NewPCG(85, 86))
	for _, fast := range []bool{false, true} {
		setFastKernels(t, fast)
		for _, n := range []int{0, 1, 7, 8, 9, 33, 128, 131} {
			x := gaussian(r, n+2, 1)[1:] // longer than y: the rest is ignored
			buf := gaussian(r, n+1, 1)
			y := buf[:n]
			a := float32(r.NormFloat64())
			want := make([]float64, n)
			bound := make([]float64, n)
			for i := range y {
				want[i] = float64(a)*float64(x[i]) + float64(y[i])
				bound[i] = 0x1p-23 * (math.Abs(float64(a)*float64(x[i])) + math.Abs(float64(y[i])))
			}
			last := buf[n]
			AxpyF32(a, x, y)
			for i := range y {
				if math.Abs(float64(y[i])-want[i]) > bound[i] {
					t.Fatalf("fast %v, n=%d: y[%d] = %g, want %g", fast, n, i, y[i], want[i])
				}
			}
			if buf[n] != last {
				t.Fatalf("fast %v, n=%d: wrote past len(y)", fast, n)
			}
		}
		x, y := gaussian(r, 128, 1), gaussian(r, 128, 1)
		if allocs := testing.AllocsPerRun(100, func() { AxpyF32(1e-3, x, y) }); allocs != 0 {
			t.Errorf("fast %v: AxpyF32: %g allocations per call", fast, allocs)
		}
	}
}

// BenchmarkAxpyF32 times a 128-element axpy (one attention head) on both
// kernel sets.
func BenchmarkAxpyF32(b *testing.B) {
	r := rand.New(rand.NewPCG(87, 88))
	x, y := gaussian(r, 128, 1), gaussian(r, 128, 1)
	for _, fast := range []bool{false, true} {
		UseFastKernels(fast)
		b.Run(fmt.Sprintf("fast=%v", fast), func(b *testing.B) {
			for b.Loop() {
				AxpyF32(1e-6, x, y)
			}
		})
	}
	UseFastKernels(true)
}
