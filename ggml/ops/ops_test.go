package ops

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestRMSNorm(t *testing.T) {
	tests := []struct {
		name   string
		x, w   []float32
		eps    float32
		want   []float64
		tol    float64
		inPlce bool
	}{
		{"unit weight", []float32{1, 2, 3, 4}, nil, 0, []float64{1 / math.Sqrt(7.5), 2 / math.Sqrt(7.5), 3 / math.Sqrt(7.5), 4 / math.Sqrt(7.5)}, 1e-6, false},
		{"weights", []float32{1, -1}, []float32{2, 3}, 0, []float64{2, -3}, 1e-6, false},
		{"eps dominates zeros", []float32{0, 0, 0}, nil, 1e-6, []float64{0, 0, 0}, 0, false},
		{"eps", []float32{3, 4}, []float32{1, 1}, 0.5, []float64{3 / math.Sqrt(13), 4 / math.Sqrt(13)}, 1e-6, false},
		{"in place", []float32{2, 2}, []float32{1, 0.5}, 0, []float64{1, 0.5}, 1e-7, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := append([]float32(nil), tc.x...)
			dst := make([]float32, len(x))
			if tc.inPlce {
				dst = x
			}
			RMSNorm(dst, x, tc.w, tc.eps)
			for i, w := range tc.want {
				if !near(float64(dst[i]), w, tc.tol) {
					t.Errorf("dst[%d] = %v, want %v", i, dst[i], w)
				}
			}
		})
	}
}

func TestSoftmax(t *testing.T) {
	inf := float32(math.Inf(-1))
	tests := []struct {
		name string
		x    []float32
		want []float64
	}{
		{"three", []float32{1, 2, 3}, []float64{0.09003057, 0.24472847, 0.66524096}},
		{"equal", []float32{5, 5, 5, 5}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"masked", []float32{0, inf, 0}, []float64{0.5, 0, 0.5}},
		{"large values stay finite", []float32{1000, 1000}, []float64{0.5, 0.5}},
		{"one", []float32{-7}, []float64{1}},
		{"empty", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := append([]float32(nil), tc.x...)
			Softmax(x)
			for i, w := range tc.want {
				if !near(float64(x[i]), w, 1e-7) {
					t.Errorf("x[%d] = %v, want %v", i, x[i], w)
				}
			}
		})
	}
}

func TestSwiGLU(t *testing.T) {
	gate := []float32{0, 1, -1, 20, -20}
	up := []float32{3, 2, 2, 0.5, 1}
	want := []float64{0, 2 * 0.7310585786, 2 * -0.2689414214, 0.5 * 20 / (1 + math.Exp(-20)), -20 / (1 + math.Exp(20))}
	dst := make([]float32, len(gate))
	SwiGLU(dst, gate, up)
	for i := range want {
		if !near(float64(dst[i]), want[i], 1e-6) {
			t.Errorf("dst[%d] = %v, want %v", i, dst[i], want[i])
		}
	}
	// In place over gate.
	SwiGLU(gate, gate, up)
	for i := range want {
		if gate[i] != dst[i] {
			t.Errorf("in place dst[%d] = %v, want %v", i, gate[i], dst[i])
		}
	}
}

func TestAddDot(t *testing.T) {
	a := []float32{1, 2, 3}
	Add(a, []float32{1, 1, -3})
	if a[0] != 2 || a[1] != 3 || a[2] != 0 {
		t.Errorf("Add = %v", a)
	}
	if d := Dot([]float32{1, 2, 3}, []float32{4, 5, 6}); d != 32 {
		t.Errorf("Dot = %v, want 32", d)
	}
}

// ropeRef rotates one head in float64 straight from the definition.
func ropeRef(x []float64, pos int, p RopeParams) []float64 {
	out := append([]float64(nil), x...)
	for i := 0; i < p.NDims/2; i++ {
		theta := float64(p.FreqScale) * float64(pos) * math.Pow(float64(p.Base), -2*float64(i)/float64(p.NDims))
		a, b := 2*i, 2*i+1
		if p.NeoX {
			a, b = i, i+p.NDims/2
		}
		c, s := math.Cos(theta), math.Sin(theta)
		out[a] = x[a]*c - x[b]*s
		out[b] = x[a]*s + x[b]*c
	}
	return out
}

func TestRope(t *testing.T) {
	tests := []struct {
		name    string
		p       RopeParams
		headDim int
		nHeads  int
		pos     int
	}{
		{"normal pos 0", RopeParams{NDims: 8, Base: 10000, FreqScale: 1}, 8, 2, 0},
		{"normal pos 1", RopeParams{NDims: 8, Base: 10000, FreqScale: 1}, 8, 2, 1},
		{"normal pos 37", RopeParams{NDims: 64, Base: 10000, FreqScale: 1}, 64, 3, 37},
		{"neox pos 5", RopeParams{NDims: 16, Base: 1e6, FreqScale: 1, NeoX: true}, 16, 2, 5},
		{"neox pos 300", RopeParams{NDims: 128, Base: 1e6, FreqScale: 1, NeoX: true}, 128, 1, 300},
		{"partial rotation", RopeParams{NDims: 4, Base: 10000, FreqScale: 1}, 8, 2, 3},
		{"partial neox", RopeParams{NDims: 4, Base: 10000, FreqScale: 1, NeoX: true}, 8, 1, 9},
		{"linear scaling", RopeParams{NDims: 8, Base: 10000, FreqScale: 0.25}, 8, 1, 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.headDim * tc.nHeads
			x := make([]float32, n)
			x64 := make([]float64, n)
			for i := range x {
				x[i] = float32(math.Sin(float64(i)*0.7) + 0.1*float64(i%5))
				x64[i] = float64(x[i])
			}
			cs := make([]float32, tc.p.NDims)
			RopeCache(cs, tc.pos, tc.p, nil)
			Rope(x, tc.headDim, cs, tc.p)
			for h := 0; h < tc.nHeads; h++ {
				want := ropeRef(x64[h*tc.headDim:(h+1)*tc.headDim], tc.pos, tc.p)
				for i, w := range want {
					got := x[h*tc.headDim+i]
					if !near(float64(got), w, 2e-5) {
						t.Errorf("head %d [%d] = %v, want %v", h, i, got, w)
					}
				}
			}
		})
	}
}

func TestRopeFreqFactors(t *testing.T) {
	p := RopeParams{NDims: 4, Base: 10000, FreqScale: 1}
	a := make([]float32, 4)
	b := make([]float32, 4)
	RopeCache(a, 8, p, []float32{2, 1})
	RopeCache(b, 4, p, nil)
	// Dividing theta_0 by 2 at position 8 gives the angle of position 4.
	if !near(float64(a[0]), float64(b[0]), 1e-6) || !near(float64(a[1]), float64(b[1]), 1e-6) {
		t.Errorf("freq factor: got cos/sin %v %v, want %v %v", a[0], a[1], b[0], b[1])
	}
}

func TestNoAllocs(t *testing.T) {
	x := make([]float32, 256)
	w := make([]float32, 256)
	cs := make([]float32, 64)
	p := RopeParams{NDims: 64, Base: 1e4, FreqScale: 1}
	n := testing.AllocsPerRun(10, func() {
		RMSNorm(x, x, w, 1e-6)
		Softmax(x)
		SwiGLU(x, x, w)
		RopeCache(cs, 3, p, nil)
		Rope(x, 64, cs, p)
	})
	if n != 0 {
		t.Errorf("allocations per run = %v, want 0", n)
	}
}

// TestExpf checks expf against math.Exp on a dense grid and the edges: at
// most 2 float32 ulp of the correctly rounded result, +Inf above
// ln(MaxFloat32), gradual underflow below, NaN kept.
func TestExpf(t *testing.T) {
	ulps := func(got float32, want float64) float64 {
		w := float32(want)
		ulp := math.Nextafter32(w, float32(math.Inf(1))) - w
		return math.Abs(float64(got)-want) / float64(ulp)
	}
	worst, worstX := 0.0, float32(0)
	for x := float32(-87.3); x <= 88.7; x += 0.0007 {
		if u := ulps(expf(x), math.Exp(float64(x))); u > worst {
			worst, worstX = u, x
		}
	}
	if worst > 2 {
		t.Errorf("expf(%v): %.2f ulp from math.Exp, want <= 2", worstX, worst)
	}
	t.Logf("worst error on [-87.3, 88.7]: %.2f ulp at %v", worst, worstX)
	tests := []struct {
		name string
		x    float32
		want float64
	}{
		{"zero", 0, 1},
		{"one", 1, math.E},
		{"near max", 88.72, math.Exp(float64(float32(88.72)))},
		{"overflow", 89, math.Inf(1)},
		{"subnormal", -100, math.Exp(-100)},
		{"underflow", -104, 0},
		{"-Inf", float32(math.Inf(-1)), 0},
		{"+Inf", float32(math.Inf(1)), math.Inf(1)},
	}
	for _, tc := range tests {
		got := expf(tc.x)
		if math.IsInf(tc.want, 1) {
			if !math.IsInf(float64(got), 1) {
				t.Errorf("%s: expf(%v) = %v, want +Inf", tc.name, tc.x, got)
			}
			continue
		}
		if got != float32(tc.want) && ulps(got, tc.want) > 2 {
			t.Errorf("%s: expf(%v) = %v, want %v", tc.name, tc.x, got, float32(tc.want))
		}
	}
	if nan := float32(math.NaN()); !math.IsNaN(float64(expf(nan))) {
		t.Errorf("expf(NaN) = %v, want NaN", expf(nan))
	}
}

func BenchmarkSoftmax(b *testing.B) {
	x := make([]float32, 512)
	y := make([]float32, len(x))
	for i := range x {
		x[i] = float32(i%37) * 0.1
	}
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		copy(y, x)
		Softmax(y)
	}
}

// TestFastKernels: with the vector kernels installed (where the CPU has
// them), Softmax and SwiGLU agree with the Go loops within a few float32
// ulps for lengths around the vector width and long rows, masked and
// underflowing entries included; UseFastKernels(false) restores the Go
// loops bit for bit.
func TestFastKernels(t *testing.T) {
	defer UseFastKernels(fastOps)
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 40, 1000} {
		x := make([]float32, n)
		gate := make([]float32, n)
		up := make([]float32, n)
		for i := range x {
			x[i] = float32(r.NormFloat64() * 10)
			if r.IntN(8) == 0 {
				x[i] = float32(math.Inf(-1))
			}
			gate[i] = float32(r.NormFloat64() * 5)
			up[i] = float32(r.NormFloat64())
		}
		x[0] = 50 // one large: others underflow past e**-87
		run := func(fast bool) (sm, sw []float32) {
			UseFastKernels(fast)
			sm = append([]float32(nil), x...)
			Softmax(sm)
			sw = make([]float32, n)
			SwiGLU(sw, gate, up)
			return sm, sw
		}
		goSm, goSw := run(false)
		if fastOn := UseFastKernels(true); !fastOn {
			t.Logf("no vector kernels on this CPU/architecture: the Go loops only")
		}
		fastSm, fastSw := run(true)
		for i := range x {
			if d := math.Abs(float64(fastSm[i] - goSm[i])); d > 6e-7*math.Abs(float64(goSm[i]))+1e-37 {
				t.Fatalf("n=%d: Softmax[%d] fast %g, Go %g", n, i, fastSm[i], goSm[i])
			}
			if d := math.Abs(float64(fastSw[i] - goSw[i])); d > 6e-7*math.Abs(float64(goSw[i]))+1e-37 {
				t.Fatalf("n=%d: SwiGLU[%d] fast %g, Go %g", n, i, fastSw[i], goSw[i])
			}
		}
		again, _ := run(false)
		for i := range again {
			if math.Float32bits(again[i]) != math.Float32bits(goSm[i]) {
				t.Fatalf("n=%d: Go Softmax after UseFastKernels(false) differs at %d", n, i)
			}
		}
	}
}
