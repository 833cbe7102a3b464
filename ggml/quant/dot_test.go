package quant

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestActivationQ8 checks the activation quantizers on hand-made blocks.
func TestActivationQ8(t *testing.T) {
	// 127/amax = 1 with amax = 127: q = round-half-even(x).
	x := make([]float32, 32)
	x[0] = 127
	x[1], x[2], x[3], x[4] = 0.5, 1.5, 2.5, -0.5
	x[5], x[6] = -2.5, 3.49
	want := []int8{127, 0, 2, 2, 0, -2, 3}
	for _, typ := range []Type{Q8_0, Q8_1} {
		b := make([]byte, mustRowSize(t, typ, 32))
		QuantizeActivation(typ, x, b)
		off := 2
		if typ == Q8_1 {
			off = 4
			// s = d * sum(q) with d = 1: 127+2+2-2+3 = 132.
			if s := f16ToF32(le16(b[2:])); s != 132 {
				t.Errorf("q8_1 s = %g, want 132", s)
			}
		}
		if d := f16ToF32(le16(b)); d != 1 {
			t.Errorf("%v d = %g, want 1", typ, d)
		}
		for i, w := range want {
			if got := int8(b[off+i]); got != w {
				t.Errorf("%v q[%d] = %d, want %d (x = %g)", typ, i, got, w, x[i])
			}
		}
	}

	// Q8_K: the largest-|x| value is negative, so iscale = -127/max > 0
	// and d = 1/iscale; 127 is the cap for the positive side.
	xk := make([]float32, 256)
	xk[0] = -254
	xk[1], xk[2], xk[3], xk[17] = 1, 3, 254, -5 // iscale*x: 0.5, 1.5, 127, -2.5
	b := make([]byte, 292)
	QuantizeActivation(Q8_K, xk, b)
	d := math.Float32frombits(le32(b))
	if d != 2 {
		t.Errorf("q8_K d = %g, want 2", d)
	}
	wantK := map[int]int8{0: -127, 1: 0, 2: 2, 3: 127, 17: -2}
	for i, w := range wantK {
		if got := int8(b[4+i]); got != w {
			t.Errorf("q8_K q[%d] = %d, want %d", i, got, w)
		}
	}
	if s0, s1 := int16(le16(b[260:])), int16(le16(b[262:])); s0 != 2 || s1 != -2 {
		t.Errorf("q8_K bsums = %d, %d; want 2, -2", s0, s1)
	}
	// Positive max: iscale < 0, d < 0, q = -127 at the max.
	xk[0] = 254
	QuantizeActivation(Q8_K, xk, b)
	if d := math.Float32frombits(le32(b)); d != -2 || int8(b[4]) != -127 {
		t.Errorf("q8_K positive max: d = %g, q[0] = %d", d, int8(b[4]))
	}
}

// randomBlocks returns nBlocks random blocks of typ whose float fields (d,
// dmin, m, s) are 1.0, so that their dequantized values are integers.
func randomUnitBlocks(r *rand.Rand, typ Type, n int) []byte {
	tr, _ := typ.Traits()
	b := make([]byte, n/tr.BlockSize*tr.TypeSize)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	one := f32ToF16(1)
	for off := 0; off < len(b); off += tr.TypeSize {
		blk := b[off : off+tr.TypeSize]
		switch typ {
		case Q4_0, Q5_0, Q8_0:
			put16(blk, one)
		case Q4_1, Q5_1:
			put16(blk, one)
			put16(blk[2:], one)
		case Q2_K:
			put16(blk[80:], one)
			put16(blk[82:], one)
		case Q3_K:
			put16(blk[108:], one)
		case Q4_K, Q5_K:
			put16(blk, one)
			put16(blk[2:], one)
		case Q6_K:
			put16(blk[208:], one)
		}
	}
	return b
}

// randomUnitAct returns random activations of type typ with d = 1 and
// small int8 quants (|q| <= 8), with s and bsums consistent.
func randomUnitAct(r *rand.Rand, typ Type, n int) []byte {
	tr, _ := typ.Traits()
	b := make([]byte, n/tr.BlockSize*tr.TypeSize)
	for off := 0; off < len(b); off += tr.TypeSize {
		blk := b[off : off+tr.TypeSize]
		switch typ {
		case Q8_0, Q8_1:
			qs := blk[typ.q8Offset():]
			sum := 0
			for i := range qs {
				q := int(r.IntN(17)) - 8
				qs[i] = byte(int8(q))
				sum += q
			}
			put16(blk, f32ToF16(1))
			if typ == Q8_1 {
				put16(blk[2:], f32ToF16(float32(sum)))
			}
		case Q8_K:
			put32(blk, math.Float32bits(1))
			for k := 0; k < 16; k++ {
				sum := 0
				for i := 0; i < 16; i++ {
					q := int(r.IntN(17)) - 8
					blk[4+16*k+i] = byte(int8(q))
					sum += q
				}
				put16(blk[260+2*k:], uint16(int16(sum)))
			}
		}
	}
	return b
}

func (t Type) q8Offset() int {
	if t == Q8_1 {
		return 4
	}
	return 2
}

// dot64 is the float64 dot product of the dequantized weights and the
// dequantized activations.
func dot64(t testing.TB, wt Type, w []byte, at Type, a []byte, n int) (dot, absSum float64) {
	t.Helper()
	x := make([]float32, n)
	y := make([]float32, n)
	if err := Dequantize(wt, w, x); err != nil {
		t.Fatal(err)
	}
	if err := Dequantize(at, a, y); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		p := float64(x[i]) * float64(y[i])
		dot += p
		absSum += math.Abs(p)
	}
	return dot, absSum
}

// TestVecDotIntegerExact: with unit scales every term is an integer, the
// float parts are exact, so RefVecDot must equal the exact integer dot of
// the dequantized blocks.
func TestVecDotIntegerExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, typ := range []Type{Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K} {
		t.Run(typ.String(), func(t *testing.T) {
			tr, _ := typ.Traits()
			for iter := 0; iter < 20; iter++ {
				n := 256 * (1 + iter%3)
				w := randomUnitBlocks(r, typ, n)
				a := randomUnitAct(r, tr.VecDotType, n)
				want, _ := dot64(t, typ, w, tr.VecDotType, a, n)
				if want != math.Trunc(want) {
					t.Fatalf("reference dot %g is not an integer", want)
				}
				if got := tr.RefVecDot(n, w, a); float64(got) != want {
					t.Fatalf("n=%d: RefVecDot = %g, want %g", n, got, want)
				}
			}
		})
	}
}

// TestVecDotGaussian quantizes N(0, 0.02^2) weights and N(0,1)
// activations (n = 4096) and checks that
//  1. RefVecDot equals the float64 dot of the dequantized operands to
//     within 1e-5 * sum|w_i a_i| (the integer parts are exact; only the
//     float32 scaling and accumulation round), after accounting for Q8_1's
//     stored s;
//  2. it is within actTol * |dequant(w)| * |x| of dot(dequant(w), x), the
//     gap being the activation rounding: 1e-3 for Q8_0/Q8_1/Q8_K (observed
//     up to 2.5e-4), 2e-4 for BF16 (3.5e-5), 3e-5 for F16 (5.7e-6), 1e-6
//     for F32.
func TestVecDotGaussian(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 4096
	for _, typ := range weightTypes {
		t.Run(typ.String(), func(t *testing.T) {
			tr, _ := typ.Traits()
			// Relative tolerance of VecDot against dot(dequant(w), x),
			// in units of |dequant(w)|*|x|: the activation rounding error.
			actTol := map[Type]float64{F32: 1e-6, F16: 3e-5, BF16: 2e-4, Q8_0: 1e-3, Q8_1: 1e-3, Q8_K: 1e-3}[tr.VecDotType]
			for iter := 0; iter < 5; iter++ {
				w := make([]byte, mustRowSize(t, typ, n))
				if err := Quantize(typ, gaussian(r, n, 0.02), w); err != nil {
					t.Fatal(err)
				}
				x := gaussian(r, n, 1)
				a := make([]byte, mustRowSize(t, tr.VecDotType, n))
				QuantizeActivation(tr.VecDotType, x, a)
				got := float64(tr.RefVecDot(n, w, a))
				want, absSum := dot64(t, typ, w, tr.VecDotType, a, n)
				// VecDot is RefVecDot unless a kernel package installed
				// a faster one, which may only reorder the float sums.
				if vd := float64(tr.VecDot(n, w, a)); math.Abs(vd-got) > 1e-5*absSum {
					t.Errorf("VecDot %g, RefVecDot %g", vd, got)
				}
				if tr.VecDotType == Q8_1 {
					want += q8_1SumCorrection(w, a, tr.TypeSize)
				}
				if d := math.Abs(got - want); d > 1e-5*absSum {
					t.Errorf("dot %g, dequantized dot %g: diff %g > 1e-5 * %g", got, want, d, absSum)
				}
				wf := make([]float32, n)
				Dequantize(typ, w, wf)
				var exact, nw, nx float64
				for i := range x {
					exact += float64(wf[i]) * float64(x[i])
					nw += float64(wf[i]) * float64(wf[i])
					nx += float64(x[i]) * float64(x[i])
				}
				scale := math.Sqrt(nw * nx)
				if rel := math.Abs(got-exact) / scale; rel > actTol {
					t.Errorf("dot %g, float dot %g: relative gap %.2g > %.2g", got, exact, rel, actTol)
				}
			}
		})
	}
}

// TestVecDotEdges: zero blocks give 0; a single block works; extreme
// activation scales stay finite.
func TestVecDotEdges(t *testing.T) {
	for _, typ := range weightTypes {
		t.Run(typ.String(), func(t *testing.T) {
			tr, _ := typ.Traits()
			bs := max(tr.BlockSize, mustBlock(tr.VecDotType))
			w := make([]byte, mustRowSize(t, typ, bs))
			a := make([]byte, mustRowSize(t, tr.VecDotType, bs))
			x := make([]float32, bs)
			for i := range x {
				x[i] = float32(i%7) - 3
			}
			QuantizeActivation(tr.VecDotType, x, a)
			if got := tr.RefVecDot(bs, w, a); got != 0 {
				t.Errorf("zero weights: dot = %g", got)
			}
			Quantize(typ, x, w)
			for i := range x {
				x[i] *= 1e30
			}
			QuantizeActivation(tr.VecDotType, x, a)
			got := tr.RefVecDot(bs, w, a)
			if math.IsNaN(float64(got)) {
				t.Errorf("large activations: dot is NaN")
			}
		})
	}
}

// q8_1SumCorrection is what the min term of a q4_1/q5_1 x q8_1 dot adds
// beyond the dequantized dot: ggml uses the stored s = f16(d*sum(q)), not
// f16(d)*sum(q), so the dot carries m*(s - d*sum(q)) per block.
func q8_1SumCorrection(w, a []byte, typeSize int) float64 {
	var c float64
	for i := 0; i < len(a)/36; i++ {
		y := a[36*i : 36*i+36]
		m := float64(f16ToF32(le16(w[typeSize*i+2:])))
		var sum int
		for _, q := range y[4:] {
			sum += int(int8(q))
		}
		c += m * (float64(f16ToF32(le16(y[2:]))) - float64(f16ToF32(le16(y)))*float64(sum))
	}
	return c
}

func mustBlock(t Type) int {
	tr, _ := t.Traits()
	return tr.BlockSize
}

// BenchmarkVecDot times one 4096-element dot per weight type. Besides
// ns/op it reports cpu-ns/op, the thread's CPU time, which other processes
// on a shared host do not inflate.
func BenchmarkVecDot(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	const n = 4096
	for _, typ := range weightTypes {
		b.Run(typ.String(), func(b *testing.B) {
			tr, _ := typ.Traits()
			w := make([]byte, mustRowSize(b, typ, n))
			Quantize(typ, gaussian(r, n, 0.02), w)
			a := make([]byte, mustRowSize(b, tr.VecDotType, n))
			QuantizeActivation(tr.VecDotType, gaussian(r, n, 1), a)
			b.SetBytes(int64(len(w)))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			start := threadCPU()
			var s float32
			for b.Loop() {
				s += tr.VecDot(n, w, a)
			}
			b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
			_ = s
		})
	}
}
