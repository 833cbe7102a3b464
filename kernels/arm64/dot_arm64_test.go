package arm64_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/limnx/limnx/kernels/arm64"
)

// Tolerances. Integer block sums are exact on both paths; with unit scales
// (mode "unit") the whole result is an integer below 2^24 and must be equal.
// Otherwise the float result must be within rtol of the sum of the
// magnitudes of the float terms (the kernels sum in float32 in another order
// than the float64 reference), plus absTol for float32 underflow.
const (
	rtol   = 2e-5
	absTol = 1e-37
)

// act formats
const (
	actQ8_0 = iota
	actQ8_1
	actQ8_K
	actF32
	actF16
	actBF16
)

type kernel struct {
	name      string
	dot       func(n int, w, act []byte) float32
	ref       ref
	blockSize int // elements per block
	wSize     int // bytes per weight block
	aSize     int // bytes per activation block
	act       int
	halves    []int // offsets of F16 scale fields in a weight block
}

var kernels = []kernel{
	{"Q8_0", arm64.DotQ8_0, refQ8_0, 32, 34, 34, actQ8_0, []int{0}},
	{"Q4_K", arm64.DotQ4_K, refQ4_K, 256, 144, 292, actQ8_K, []int{0, 2}},
	{"Q6_K", arm64.DotQ6_K, refQ6_K, 256, 210, 292, actQ8_K, []int{208}},
	{"F16", arm64.DotF16, refF16, 1, 2, 2, actF16, nil},
	{"F32", arm64.DotF32, refF32, 1, 4, 4, actF32, nil},
	{"Q4_0", arm64.DotQ4_0, refQ4_0, 32, 18, 34, actQ8_0, []int{0}},
	{"Q5_K", arm64.DotQ5_K, refQ5_K, 256, 176, 292, actQ8_K, []int{0, 2}},
	{"Q3_K", arm64.DotQ3_K, refQ3_K, 256, 110, 292, actQ8_K, []int{108}},
	{"Q2_K", arm64.DotQ2_K, refQ2_K, 256, 84, 292, actQ8_K, []int{80, 82}},
	{"Q4_1", arm64.DotQ4_1, refQ4_1, 32, 20, 36, actQ8_1, []int{0, 2}},
	{"Q5_0", arm64.DotQ5_0, refQ5_0, 32, 22, 34, actQ8_0, []int{0}},
	{"Q5_1", arm64.DotQ5_1, refQ5_1, 32, 24, 36, actQ8_1, []int{0, 2}},
	{"BF16", arm64.DotBF16, refBF16, 1, 2, 2, actBF16, nil},
}

// halfOf encodes v as binary16; v must be exactly representable.
func halfOf(v float64) uint16 {
	if v == 0 {
		return 0
	}
	var s uint16
	if v < 0 {
		s, v = 0x8000, -v
	}
	frac, exp := math.Frexp(v) // v = frac * 2^exp, frac in [0.5, 1)
	e := exp - 1 + 15
	if e <= 0 {
		return s | uint16(v*(1<<24))
	}
	return s | uint16(e)<<10 | uint16((frac*2-1)*1024)
}

var extremeHalves = []uint16{0x7bff, 0x0001, 0x0400, 0xfbff, 0x03ff}

// randHalf returns a half in ±[2^-8, 2^6).
func randHalf(r *rand.Rand) uint16 {
	return uint16(r.IntN(2))<<15 | uint16(7+r.IntN(14))<<10 | uint16(r.IntN(1024))
}

func putHalf(b []byte, h uint16) { binary.LittleEndian.PutUint16(b, h) }

// scaleHalf picks an F16 scale for a mode.
func scaleHalf(r *rand.Rand, mode string) uint16 {
	switch mode {
	case "unit":
		return 0x3c00
	case "extreme":
		return extremeHalves[r.IntN(len(extremeHalves))]
	}
	return randHalf(r)
}

// gen makes nb blocks (n elements for float formats) of weights and
// activations for mode "random", "zero", "unit" or "extreme".
func (k kernel) gen(r *rand.Rand, n int, mode string) (w, act []byte) {
	nb := n / k.blockSize
	w = make([]byte, nb*k.wSize)
	act = make([]byte, nb*k.aSize)
	if mode == "zero" {
		return w, act
	}
	// small is the activation quant range: [-4, 4] keeps unit-scale sums
	// exact in float32.
	q := func() byte {
		if mode == "unit" {
			return byte(int8(r.IntN(9) - 4))
		}
		return byte(int8(r.IntN(255) - 127))
	}
	switch k.act {
	case actF32, actF16, actBF16:
		for i := 0; i < n; i++ {
			for _, b := range [][]byte{w[k.wSize*i:], act[k.aSize*i:]} {
				var v float64
				switch mode {
				case "unit":
					v = float64(r.IntN(17) - 8)
				case "extreme":
					v = r.NormFloat64() * []float64{1e-20, 1, 1e15}[r.IntN(3)]
				default:
					v = r.NormFloat64()
				}
				switch k.act {
				case actF32:
					binary.LittleEndian.PutUint32(b, math.Float32bits(float32(v)))
				case actBF16:
					binary.LittleEndian.PutUint16(b, uint16(math.Float32bits(float32(v))>>16))
				case actF16:
					if mode == "unit" {
						putHalf(b, halfOf(v))
					} else {
						putHalf(b, scaleHalf(r, mode))
					}
				}
			}
		}
		return w, act
	}
	for i := range w {
		w[i] = byte(r.IntN(256))
	}
	for i := 0; i < nb; i++ {
		x := w[k.wSize*i:]
		for _, off := range k.halves {
			putHalf(x[off:], scaleHalf(r, mode))
		}
		y := act[k.aSize*i : k.aSize*(i+1)]
		switch k.act {
		case actQ8_0:
			putHalf(y, scaleHalf(r, mode))
			for j := 2; j < 34; j++ {
				y[j] = q()
			}
		case actQ8_1:
			putHalf(y, scaleHalf(r, mode))
			putHalf(y[2:], scaleHalf(r, mode))
			for j := 4; j < 36; j++ {
				y[j] = q()
			}
		case actQ8_K:
			d := float32(1)
			switch mode {
			case "random":
				d = float32(r.Float64()*2 - 1)
			case "extreme":
				d = []float32{1e-30, 1e10, -3e-5}[r.IntN(3)]
			}
			binary.LittleEndian.PutUint32(y, math.Float32bits(d))
			for j := 0; j < 16; j++ {
				s := 0
				for l := 0; l < 16; l++ {
					y[4+16*j+l] = q()
					s += int(int8(y[4+16*j+l]))
				}
				binary.LittleEndian.PutUint16(y[260+2*j:], uint16(int16(s)))
			}
		}
	}
	return w, act
}

// both runs f on the SDOT path (where the CPU has it) and the NEON-only path.
func both(t testing.TB, f func(t testing.TB, path string)) {
	if arm64.HasDotProd {
		restore := arm64.SetSDOT(true)
		f(t, "sdot")
		restore()
	}
	restore := arm64.SetSDOT(false)
	f(t, "neon")
	restore()
}

func (k kernel) check(t testing.TB, path string, n int, w, act []byte, mode string) float32 {
	t.Helper()
	got := k.dot(n, w, act)
	want, mag := k.ref(n, w, act)
	if mode == "unit" {
		if mag >= 1<<24 {
			t.Fatalf("%s: unit case too large to be exact (%g)", k.name, mag)
		}
		if float64(got) != want {
			t.Errorf("%s %s n=%d unit scales: got %v, want exactly %v", k.name, path, n, got, want)
		}
		return got
	}
	if mode == "zero" && got != 0 {
		t.Errorf("%s %s n=%d zero blocks: got %v, want 0", k.name, path, n, got)
	}
	if d := math.Abs(float64(got) - want); !(d <= rtol*mag+absTol) {
		t.Errorf("%s %s n=%d %s: got %v, want %v (|diff| %g > %g)", k.name, path, n, mode, got, want, d, rtol*mag+absTol)
	}
	return got
}

func (k kernel) sizes() []int {
	if k.blockSize == 1 {
		return []int{1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 100, 257, 1000}
	}
	return []int{k.blockSize, 2 * k.blockSize, 3 * k.blockSize, 7 * k.blockSize, 16 * k.blockSize}
}

func TestDot(t *testing.T) {
	t.Logf("HasDotProd=%v", arm64.HasDotProd)
	for _, k := range kernels {
		t.Run(k.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(k.name))))
			for _, mode := range []string{"random", "zero", "unit", "extreme"} {
				for _, n := range k.sizes() {
					if mode == "unit" && n > 2*k.blockSize && k.blockSize > 1 {
						continue
					}
					w, act := k.gen(r, n, mode)
					var res []float32
					both(t, func(t testing.TB, path string) {
						res = append(res, k.check(t, path, n, w, act, mode))
					})
					if len(res) == 2 && math.Float32bits(res[0]) != math.Float32bits(res[1]) {
						t.Errorf("%s n=%d %s: SDOT path %v != NEON path %v", k.name, n, mode, res[0], res[1])
					}
				}
			}
		})
	}
}

// TestDotMisaligned runs every kernel on slices starting 1..7 bytes past an
// 8-byte boundary.
func TestDotMisaligned(t *testing.T) {
	for _, k := range kernels {
		r := rand.New(rand.NewPCG(2, uint64(len(k.name))))
		n := 3 * k.blockSize
		if k.blockSize == 1 {
			n = 37
		}
		w, act := k.gen(r, n, "random")
		want := k.dot(n, w, act)
		for off := 1; off <= 7; off++ {
			wb := make([]byte, len(w)+8)[off:]
			ab := make([]byte, len(act)+8)[8-off:]
			copy(wb, w)
			copy(ab, act)
			both(t, func(t testing.TB, path string) {
				if got := k.check(t, path, n, wb[:len(w)], ab[:len(act)], "random"); got != want {
					t.Errorf("%s %s offset %d: got %v, aligned %v", k.name, path, off, got, want)
				}
			})
		}
	}
}

// TestDotBounds checks that the kernels read no byte past the n elements:
// a trailing block of garbage must not change the result.
func TestDotBounds(t *testing.T) {
	for _, k := range kernels {
		r := rand.New(rand.NewPCG(3, uint64(len(k.name))))
		n := 2 * k.blockSize
		if k.blockSize == 1 {
			n = 19
		}
		w, act := k.gen(r, n, "random")
		want := k.dot(n, w, act)
		w2 := append(append([]byte{}, w...), make([]byte, 64)...)
		a2 := append(append([]byte{}, act...), make([]byte, 64)...)
		for i := len(w); i < len(w2); i++ {
			w2[i] = 0x7f
		}
		for i := len(act); i < len(a2); i++ {
			a2[i] = 0x7f
		}
		if got := k.dot(n, w2, a2); got != want {
			t.Errorf("%s: trailing bytes changed the result: %v, want %v", k.name, got, want)
		}
		if got := k.dot(0, nil, nil); got != 0 {
			t.Errorf("%s: n=0 gave %v", k.name, got)
		}
	}
}

func TestDotBadShape(t *testing.T) {
	for _, k := range kernels {
		for _, tc := range []struct {
			name string
			n    int
			w, a []byte
		}{
			{"short weights", k.blockSize, make([]byte, k.wSize-1), make([]byte, k.aSize)},
			{"short activations", k.blockSize, make([]byte, k.wSize), make([]byte, k.aSize-1)},
			{"negative n", -k.blockSize, nil, nil},
		} {
			func() {
				defer func() {
					msg := fmt.Sprint(recover())
					if !strings.Contains(msg, "kernels/arm64: Dot"+k.name) {
						t.Errorf("%s %s: panic %q, want a kernels/arm64 shape error", k.name, tc.name, msg)
					}
				}()
				k.dot(tc.n, tc.w, tc.a)
			}()
		}
	}
}

// Benchmarks stream 4096 elements of weights per call; SetBytes counts the
// weight bytes. Under qemu-user the numbers say nothing about real speed.
func benchmark(b *testing.B, name string) {
	for _, k := range kernels {
		if k.name != name {
			continue
		}
		r := rand.New(rand.NewPCG(4, 4))
		const n = 4096
		w, act := k.gen(r, n, "random")
		b.SetBytes(int64(len(w)))
		var sink float32
		for b.Loop() {
			sink += k.dot(n, w, act)
		}
		_ = sink
		return
	}
	b.Fatalf("no kernel %s", name)
}

func BenchmarkDotQ8_0(b *testing.B) { benchmark(b, "Q8_0") }
func BenchmarkDotQ4_K(b *testing.B) { benchmark(b, "Q4_K") }
func BenchmarkDotQ6_K(b *testing.B) { benchmark(b, "Q6_K") }
func BenchmarkDotF16(b *testing.B)  { benchmark(b, "F16") }
func BenchmarkDotF32(b *testing.B)  { benchmark(b, "F32") }
func BenchmarkDotQ4_0(b *testing.B) { benchmark(b, "Q4_0") }
func BenchmarkDotQ5_K(b *testing.B) { benchmark(b, "Q5_K") }
func BenchmarkDotQ3_K(b *testing.B) { benchmark(b, "Q3_K") }
func BenchmarkDotQ2_K(b *testing.B) { benchmark(b, "Q2_K") }
func BenchmarkDotQ4_1(b *testing.B) { benchmark(b, "Q4_1") }
func BenchmarkDotQ5_0(b *testing.B) { benchmark(b, "Q5_0") }
func BenchmarkDotQ5_1(b *testing.B) { benchmark(b, "Q5_1") }
func BenchmarkDotBF16(b *testing.B) { benchmark(b, "BF16") }

func TestTable(t *testing.T) {
	ks := arm64.Kernels()
	if len(ks) != len(kernels) {
		t.Fatalf("Kernels() has %d rows, want %d", len(ks), len(kernels))
	}
	for _, k := range ks {
		got, ok := arm64.Lookup(k.Type)
		if !ok || got.Name != k.Name || got.Dot == nil {
			t.Errorf("Lookup(%d) = %+v, %v", k.Type, got, ok)
		}
	}
	// DotRows equals Dot row by row, bit for bit.
	r := rand.New(rand.NewPCG(8, 8))
	for _, k := range kernels {
		kk, _ := arm64.Lookup(map[string]uint32{"F32": 0, "F16": 1, "Q4_0": 2, "Q4_1": 3, "Q5_0": 6, "Q5_1": 7,
			"Q8_0": 8, "Q2_K": 10, "Q3_K": 11, "Q4_K": 12, "Q5_K": 13, "Q6_K": 14, "BF16": 30}[k.name])
		if kk.Dot == nil || !strings.EqualFold(kk.Name, k.name) {
			t.Fatalf("%s: Lookup gave %q", k.name, kk.Name)
		}
		const rows = 3
		n := 2 * k.blockSize
		if k.blockSize == 1 {
			n = 21
		}
		w, act := k.gen(r, rows*n, "random")
		rb := n / k.blockSize * k.wSize
		out := make([]float32, rows)
		kk.DotRows(n, w, act[:n/k.blockSize*k.aSize], out)
		for i := range out {
			if want := k.dot(n, w[i*rb:], act); out[i] != want {
				t.Errorf("%s DotRows row %d: %v, Dot %v", k.name, i, out[i], want)
			}
		}
	}
	if _, ok := arm64.Lookup(9); ok {
		t.Errorf("Lookup(Q8_1) found a kernel; Q8_1 is an activation type")
	}
	if f := arm64.Features(); !strings.HasPrefix(f, "kernels/arm64: asimd") {
		t.Errorf("Features() = %q", f)
	}
}

// TestDotNoAlloc: the kernels (Dot, DotRows, DotTokens) allocate nothing
// per call.
func TestDotNoAlloc(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, k := range kernels {
		n := 2 * k.blockSize
		if k.blockSize == 1 {
			n = 64
		}
		// Four rows' worth: DotTokens runs one row against four tokens.
		w, act := k.gen(r, 4*n, "random")
		kk, _ := arm64.Lookup(map[string]uint32{"F32": 0, "F16": 1, "Q4_0": 2, "Q4_1": 3, "Q5_0": 6, "Q5_1": 7,
			"Q8_0": 8, "Q2_K": 10, "Q3_K": 11, "Q4_K": 12, "Q5_K": 13, "Q6_K": 14, "BF16": 30}[k.name])
		out := make([]float32, 4)
		if a := testing.AllocsPerRun(20, func() {
			k.dot(n, w, act)
			kk.DotRows(n, w, act, out[:1])
			kk.DotTokens(n, w, act, len(act)/4, 4, out, 1)
		}); a != 0 {
			t.Errorf("%s: %v allocations per call", k.name, a)
		}
	}
}

// TestDotTokens: DotTokens equals Dot per token bit for bit, for token
// counts around the four-token kernels' width and odd strides.
func TestDotTokens(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	for _, k := range kernels {
		kk, _ := arm64.Lookup(map[string]uint32{"F32": 0, "F16": 1, "Q4_0": 2, "Q4_1": 3, "Q5_0": 6, "Q5_1": 7,
			"Q8_0": 8, "Q2_K": 10, "Q3_K": 11, "Q4_K": 12, "Q5_K": 13, "Q6_K": 14, "BF16": 30}[k.name])
		for _, nb := range []int{1, 3} {
			n := nb * k.blockSize
			if k.blockSize == 1 {
				n = 37
			}
			for _, nTok := range []int{1, 3, 4, 5, 8, 9} {
				w, act := k.gen(r, nTok*n, "random")
				rowAct := n / k.blockSize * k.aSize
				w = w[:n/k.blockSize*k.wSize]
				stride := rowAct + 3 // rows start at odd offsets
				acts := make([]byte, (nTok-1)*stride+rowAct)
				for tok := 0; tok < nTok; tok++ {
					copy(acts[tok*stride:], act[tok*rowAct:(tok+1)*rowAct])
				}
				out := make([]float32, 2*nTok)
				both(t, func(t testing.TB, path string) {
					kk.DotTokens(n, w, acts, stride, nTok, out, 2)
					for tok := 0; tok < nTok; tok++ {
						if want := k.dot(n, w, acts[tok*stride:]); math.Float32bits(out[2*tok]) != math.Float32bits(want) {
							t.Errorf("%s %s n=%d nTok=%d token %d: DotTokens %v, Dot %v", k.name, path, n, nTok, tok, out[2*tok], want)
						}
					}
				})
			}
		}
	}
}

func BenchmarkDotTokensQ4_K(b *testing.B) {
	k, _ := arm64.Lookup(12)
	r := rand.New(rand.NewPCG(4, 4))
	const n, nTok = 4096, 8
	w, act := kernels[1].gen(r, nTok*n, "random")
	w = w[:n/256*144]
	out := make([]float32, nTok)
	b.SetBytes(int64(len(w)) * nTok)
	for b.Loop() {
		k.DotTokens(n, w, act, n/256*292, nTok, out, 1)
	}
}
