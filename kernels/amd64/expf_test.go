package amd64_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/kernels/amd64"
)

// expRelTol is the relative error allowed against float64 e**x: ggml/ops'
// expf is within 2 ulps, the vector one may round k differently; 4 ulps
// of float32.
const expRelTol = 4.0 / (1 << 23)

// TestExpSubSum: every element within 4 ulps of float64 e**(x-max), 0
// below ln(smallest normal) and for -Inf, the tail past the last multiple
// of 8 untouched, and the sum that of the results.
func TestExpSubSum(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA: " + amd64.Features())
	}
	r := rand.New(rand.NewPCG(81, 82))
	for _, n := range []int{0, 7, 8, 9, 64, 1003} {
		x := make([]float32, n)
		for i := range x {
			switch r.IntN(10) {
			case 0:
				x[i] = float32(math.Inf(-1)) // masked position
			case 1:
				x[i] = -90 - float32(r.Float64())*100 // underflows
			default:
				x[i] = float32(r.NormFloat64() * 20)
			}
		}
		const max = 30
		orig := append([]float32(nil), x...)
		done, sum := amd64.ExpSubSum(x, max)
		if done != n&^7 {
			t.Fatalf("n=%d: did %d elements, want %d", n, done, n&^7)
		}
		var want float64
		for i := range x {
			if i >= done {
				if x[i] != orig[i] {
					t.Fatalf("n=%d: tail element %d changed", n, i)
				}
				continue
			}
			d := float64(orig[i] - max) // the subtraction rounds to float32 first, as in the kernel
			e := math.Exp(d)
			if d < -87.33654475055310 {
				e = 0
			}
			if e == 0 {
				if x[i] != 0 {
					t.Fatalf("n=%d: e**%g = %g, want 0", n, d, x[i])
				}
				continue
			}
			if rel := math.Abs(float64(x[i])-e) / e; rel > expRelTol {
				t.Fatalf("n=%d: e**%g = %g, want %g (relative error %g)", n, d, x[i], e, rel)
			}
			want += float64(x[i])
		}
		if math.Abs(sum-want) > 1e-12*math.Max(1, want) {
			t.Fatalf("n=%d: sum %g, want %g", n, sum, want)
		}
	}
}

// TestSwiGLU: silu(gate)*up within a few ulps of float64 over the whole
// float range that matters (including gates far past the exp limits),
// in place (dst = gate), the tail untouched.
func TestSwiGLU(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA: " + amd64.Features())
	}
	r := rand.New(rand.NewPCG(83, 84))
	for _, n := range []int{0, 5, 8, 17, 3072} {
		gate := make([]float32, n)
		up := make([]float32, n)
		for i := range gate {
			gate[i] = float32(r.NormFloat64() * 4)
			if r.IntN(20) == 0 {
				gate[i] = float32(r.NormFloat64() * 200)
			}
			up[i] = float32(r.NormFloat64())
		}
		dst := append([]float32(nil), gate...) // in place
		done := amd64.SwiGLU(dst, dst, up)
		if done != n&^7 {
			t.Fatalf("n=%d: did %d, want %d", n, done, n&^7)
		}
		for i := range dst {
			if i >= done {
				if dst[i] != gate[i] {
					t.Fatalf("n=%d: tail element %d changed", n, i)
				}
				continue
			}
			g := float64(gate[i])
			want := g / (1 + math.Exp(-g)) * float64(up[i])
			got := float64(dst[i])
			// Past the clamp (gate < -88.4) the kernel divides by e**88.4
			// instead of a larger number: |gate*up|*4.2e-39 where float64
			// is ~0.
			if tol := 8.0/(1<<23)*math.Abs(want) + 5e-39*math.Abs(g*float64(up[i])); math.Abs(got-want) > tol {
				t.Fatalf("n=%d: swiglu(%g, %g) = %g, want %g", n, gate[i], up[i], got, want)
			}
		}
	}
}

// BenchmarkExpSubSum times softmax's exponentials over a 512-key row.
func BenchmarkExpSubSum(b *testing.B) {
	x := make([]float32, 512)
	for i := range x {
		x[i] = float32(i%97) * -0.1
	}
	b.SetBytes(4 * 512)
	for b.Loop() {
		amd64.ExpSubSum(x, 0)
		for i := range x {
			x[i] = float32(i%97) * -0.1
		}
	}
}
