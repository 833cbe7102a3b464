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

// TestGemmF32: on both paths, strided products equal DotF32's Go sum
// (the Go path bit for bit, the fast one within 1e-5 of sum |w*x|), the
// output's gaps stay untouched, and bad shapes are errors.
func TestGemmF32(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for _, fast := range []bool{false, true} {
		setFastKernels(t, fast)
		for _, shape := range []struct{ n, rows, tok int }{{1, 1, 1}, {16, 3, 2}, {128, 9, 5}, {130, 64, 2}} {
			ws, xs := shape.n+3, shape.n+1
			w := gaussian(r, (shape.rows-1)*ws+shape.n, 1)
			x := gaussian(r, (shape.tok-1)*xs+shape.n, 1)
			outStride := shape.rows + 2
			out := make([]float32, shape.tok*outStride)
			if err := GemmF32(shape.n, w, ws, shape.rows, x, xs, shape.tok, out, outStride); err != nil {
				t.Fatal(err)
			}
			for tok := range shape.tok {
				for row := range shape.rows {
					var want, abs float64
					for k := range shape.n {
						p := float64(w[row*ws+k] * x[tok*xs+k])
						want += p
						abs += math.Abs(p)
					}
					got := out[tok*outStride+row]
					if (!fast && got != float32(want)) || math.Abs(float64(got)-want) > 1e-5*abs {
						t.Fatalf("fast %v, %+v: out[%d][%d] = %g, want %g", fast, shape, tok, row, got, want)
					}
				}
				if out[tok*outStride+shape.rows] != 0 || out[tok*outStride+shape.rows+1] != 0 {
					t.Fatalf("fast %v, %+v: output gap written", fast, shape)
				}
			}
		}
		if err := GemmF32(8, make([]float32, 16), 7, 2, make([]float32, 8), 8, 1, make([]float32, 2), 2); err == nil {
			t.Errorf("fast %v: stride 7 < n=8 accepted", fast)
		}
		if err := GemmF32(8, make([]float32, 16), 8, 2, make([]float32, 8), 8, 2, make([]float32, 4), 2); err == nil {
			t.Errorf("fast %v: 8 activations for 2 rows of 8 accepted", fast)
		}
	}
}

// TestGemmF16: strided F16 weight rows against float32 activations equal
// the float64 sum of the widened products (the Go path as float32
// products summed in float64, bit for bit; the fast one within 1e-5 of
// sum |w*x|); bad shapes are errors.
func TestGemmF16(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	for _, fast := range []bool{false, true} {
		setFastKernels(t, fast)
		for _, shape := range []struct{ n, rows, tok int }{{1, 1, 1}, {16, 3, 2}, {128, 9, 5}, {130, 64, 2}} {
			ws, xs := shape.n+2, shape.n+5
			wf := gaussian(r, (shape.rows-1)*ws+shape.n, 1)
			w := make([]byte, 2*len(wf))
			if err := Quantize(F16, wf, w); err != nil {
				t.Fatal(err)
			}
			x := gaussian(r, (shape.tok-1)*xs+shape.n, 1)
			out := make([]float32, shape.tok*shape.rows)
			if err := GemmF16(shape.n, w, ws, shape.rows, x, xs, shape.tok, out, shape.rows); err != nil {
				t.Fatal(err)
			}
			for tok := range shape.tok {
				for row := range shape.rows {
					var want, want32, abs float64
					for k := range shape.n {
						wv := f16ToF32(le16(w[2*(row*ws+k):]))
						want += float64(wv) * float64(x[tok*xs+k])
						want32 += float64(wv * x[tok*xs+k])
						abs += math.Abs(float64(wv) * float64(x[tok*xs+k]))
					}
					got := out[tok*shape.rows+row]
					if (!fast && got != float32(want32)) || math.Abs(float64(got)-want) > 1e-5*abs {
						t.Fatalf("fast %v, %+v: out[%d][%d] = %g, want %g", fast, shape, tok, row, got, want)
					}
				}
			}
		}
		if err := GemmF16(8, make([]byte, 32), 8, 2, make([]float32, 8), 8, 1, make([]float32, 1), 1); err == nil {
			t.Errorf("fast %v: output stride 1 < 2 rows accepted", fast)
		}
	}
}
