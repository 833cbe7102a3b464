package amd64_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/amd64"
	"github.com/x448/float16"
)

// Block-filling modes: each test case fills every weight and activation
// block in one of these ways.
const (
	modeRandom = iota // random quants, moderate random scales
	modeZero          // weight blocks all zero bytes, random activations
	modeUnit          // scales 1.0 and small activations: the result is an exact integer
	modeHuge          // largest finite float16 scales (Q8_K: 1e20)
	modeTiny          // smallest subnormal float16 scales (Q8_K: 1e-20)
)

var modeNames = []string{"random", "zero", "unit", "huge", "tiny"}

func putF16(b []byte, v float32) {
	binary.LittleEndian.PutUint16(b, float16.Fromfloat32(v).Bits())
}

func putF32(b []byte, v float32) { binary.LittleEndian.PutUint32(b, math.Float32bits(v)) }

// scaleF16 writes a float16 block scale for mode.
func scaleF16(r *rand.Rand, b []byte, mode int) {
	switch mode {
	case modeUnit:
		binary.LittleEndian.PutUint16(b, 0x3C00) // 1.0
	case modeHuge:
		binary.LittleEndian.PutUint16(b, 0x7BFF) // 65504
	case modeTiny:
		binary.LittleEndian.PutUint16(b, 0x0001) // 2^-24
	default:
		putF16(b, float32(r.Float64()*2-1)*0.05)
	}
}

// actValue returns one int8 activation for mode: [-4, 4] in modeUnit so that
// every partial sum stays below 2^24, else [-127, 127].
func actValue(r *rand.Rand, mode int) int8 {
	if mode == modeUnit {
		return int8(r.IntN(9) - 4)
	}
	return int8(r.IntN(255) - 127)
}

func fillRandom(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

// format describes one dot kernel under test: how to fill its blocks and its
// reference.
type format struct {
	name      string
	typ       uint32
	blockSize int
	wSize     int // bytes per weight block
	aSize     int // bytes per activation block
	fillW     func(r *rand.Rand, b []byte, mode int)
	fillA     func(r *rand.Rand, b []byte, mode int)
	ref       func(n int, w, a []byte) (sum, abs float64)
	maxBlocks int // largest block count to test
	unitMax   int // largest block count in modeUnit (exact integer result); 0 means 3
	tol       float64
}

func fillQ8_0(r *rand.Rand, b []byte, mode int) {
	scaleF16(r, b, mode)
	for i := 2; i < 34; i++ {
		b[i] = byte(actValue(r, mode))
	}
}

func fillQ8_1(r *rand.Rand, b []byte, mode int) {
	scaleF16(r, b, mode)
	s := 0
	for i := 4; i < 36; i++ {
		q := actValue(r, mode)
		b[i] = byte(q)
		s += int(q)
	}
	// s = d*sum(q), clamped to the float16 range for modeHuge.
	putF16(b[2:], float32(max(-65504, min(65504, f16(b)*float64(s)))))
}

// fillQ32 fills a 32-element weight block: random quants, then the scale d
// and (for the _1 formats) the min m for mode.
func fillQ32(withMin bool) func(r *rand.Rand, b []byte, mode int) {
	return func(r *rand.Rand, b []byte, mode int) {
		fillRandom(r, b)
		scaleF16(r, b, mode)
		if withMin {
			scaleF16(r, b[2:], mode)
		}
	}
}

func fillQ8_K(r *rand.Rand, b []byte, mode int) {
	switch mode {
	case modeUnit:
		putF32(b, 1)
	case modeHuge:
		putF32(b, 1e20)
	case modeTiny:
		putF32(b, 1e-20)
	default:
		putF32(b, float32(r.Float64()*2-1)*0.01)
	}
	for g := 0; g < 16; g++ {
		s := 0
		for i := 0; i < 16; i++ {
			q := actValue(r, mode)
			b[4+16*g+i] = byte(q)
			s += int(q)
		}
		binary.LittleEndian.PutUint16(b[260+2*g:], uint16(int16(s)))
	}
}

func fillQ4_K(r *rand.Rand, b []byte, mode int) {
	fillRandom(r, b)
	scaleF16(r, b[0:], mode)
	scaleF16(r, b[2:], mode)
}

// fillK fills a K-quant weight block of random bits, then d at dOff and
// (if dminOff >= 0) dmin at dminOff for mode.
func fillK(dOff, dminOff int) func(r *rand.Rand, b []byte, mode int) {
	return func(r *rand.Rand, b []byte, mode int) {
		fillRandom(r, b)
		scaleF16(r, b[dOff:], mode)
		if dminOff >= 0 {
			scaleF16(r, b[dminOff:], mode)
		}
	}
}

func fillQ6_K(r *rand.Rand, b []byte, mode int) {
	fillRandom(r, b)
	scaleF16(r, b[208:], mode)
}

// floatValue returns one float element for mode.
func floatValue(r *rand.Rand, mode int, huge, tiny float32) float32 {
	switch mode {
	case modeUnit:
		return float32(r.IntN(9) - 4)
	case modeHuge:
		return huge * float32(r.IntN(3)-1)
	case modeTiny:
		return tiny * float32(r.IntN(5)-2)
	}
	return float32(r.Float64()*2 - 1)
}

func fillF32(r *rand.Rand, b []byte, mode int) { putF32(b, floatValue(r, mode, 1e17, 1e-18)) }
func fillF16(r *rand.Rand, b []byte, mode int) {
	putF16(b, floatValue(r, mode, 65504, 1.0/(1<<24)))
}
func fillBF16(r *rand.Rand, b []byte, mode int) {
	binary.LittleEndian.PutUint16(b, uint16(math.Float32bits(floatValue(r, mode, 1e17, 1e-18))>>16))
}

func refDotFloat(size int, get func([]byte) float64) func(n int, w, a []byte) (float64, float64) {
	return func(n int, w, a []byte) (float64, float64) {
		var sum, abs float64
		for i := 0; i < n; i++ {
			p := get(w[size*i:]) * get(a[size*i:])
			sum += p
			abs += math.Abs(p)
		}
		return sum, abs
	}
}

func bf16(b []byte) float64 {
	return float64(math.Float32frombits(uint32(binary.LittleEndian.Uint16(b)) << 16))
}

var formats = []format{
	{name: "f32", typ: 0, blockSize: 1, wSize: 4, aSize: 4, fillW: fillF32, fillA: fillF32,
		ref: refDotFloat(4, f32), maxBlocks: 200, unitMax: 200, tol: 1e-5},
	{name: "f16", typ: 1, blockSize: 1, wSize: 2, aSize: 2, fillW: fillF16, fillA: fillF16,
		ref: refDotFloat(2, f16), maxBlocks: 200, unitMax: 200, tol: 1e-5},
	{name: "bf16", typ: 30, blockSize: 1, wSize: 2, aSize: 2, fillW: fillBF16, fillA: fillBF16,
		ref: refDotFloat(2, bf16), maxBlocks: 200, unitMax: 200, tol: 1e-5},
	{name: "q4_0", typ: 2, blockSize: 32, wSize: 18, aSize: 34, fillW: fillQ32(false), fillA: fillQ8_0,
		ref: refDotQ32(18, 34, 2, -1, 8, false), maxBlocks: 40, tol: 1e-5},
	{name: "q4_1", typ: 3, blockSize: 32, wSize: 20, aSize: 36, fillW: fillQ32(true), fillA: fillQ8_1,
		ref: refDotQ32(20, 36, 4, -1, 0, true), maxBlocks: 40, tol: 1e-5},
	{name: "q5_0", typ: 6, blockSize: 32, wSize: 22, aSize: 34, fillW: fillQ32(false), fillA: fillQ8_0,
		ref: refDotQ32(22, 34, 6, 2, 16, false), maxBlocks: 40, tol: 1e-5},
	{name: "q5_1", typ: 7, blockSize: 32, wSize: 24, aSize: 36, fillW: fillQ32(true), fillA: fillQ8_1,
		ref: refDotQ32(24, 36, 8, 4, 0, true), maxBlocks: 40, tol: 1e-5},
	{name: "q8_0", typ: 8, blockSize: 32, wSize: 34, aSize: 34, fillW: fillQ8_0, fillA: fillQ8_0,
		ref: refDotQ8_0, maxBlocks: 40, tol: 1e-5},
	{name: "q2_K", typ: 10, blockSize: 256, wSize: 84, aSize: 292, fillW: fillK(80, 82), fillA: fillQ8_K,
		ref: refDotQ2_K, maxBlocks: 12, tol: 1e-5},
	{name: "q3_K", typ: 11, blockSize: 256, wSize: 110, aSize: 292, fillW: fillK(108, -1), fillA: fillQ8_K,
		ref: refDotQ3_K, maxBlocks: 12, tol: 1e-5},
	{name: "q5_K", typ: 13, blockSize: 256, wSize: 176, aSize: 292, fillW: fillK(0, 2), fillA: fillQ8_K,
		ref: refDotQ5_K, maxBlocks: 12, tol: 1e-5},
	{name: "q4_K", typ: 12, blockSize: 256, wSize: 144, aSize: 292, fillW: fillQ4_K, fillA: fillQ8_K,
		ref: refDotQ4_K, maxBlocks: 12, tol: 1e-5},
	{name: "q6_K", typ: 14, blockSize: 256, wSize: 210, aSize: 292, fillW: fillQ6_K, fillA: fillQ8_K,
		ref: refDotQ6_K, maxBlocks: 12, tol: 1e-5},
}

// at returns a copy of b starting off bytes into a fresh buffer, so that the
// kernel sees a slice at a chosen misalignment.
func at(b []byte, off int) []byte {
	buf := make([]byte, off+len(b))
	copy(buf[off:], b)
	return buf[off:]
}

// TestDot compares every available kernel with its reference on random,
// zero, unit-scale (exact) and extreme-scale blocks, for many block counts
// and misaligned slices. Float results must be within tol times the sum of
// the absolute values of the scaled products; unit-scale results must be exactly equal.
func TestDot(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	for _, f := range formats {
		k, ok := amd64.Lookup(f.typ)
		if !ok {
			t.Errorf("%s: no kernel registered", f.name)
			continue
		}
		if k.BlockSize != f.blockSize || k.Name != f.name {
			t.Errorf("%s: table row %+v, want block size %d", f.name, k, f.blockSize)
		}
		t.Run(f.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(f.typ)))
			for mode, mname := range modeNames {
				for nb := 1; nb <= f.maxBlocks; nb++ {
					if mode == modeUnit && nb > max(f.unitMax, 3) {
						break
					}
					w := make([]byte, nb*f.wSize)
					a := make([]byte, nb*f.aSize)
					for b := 0; b < nb; b++ {
						if mode != modeZero { // zero weight blocks, random activations
							f.fillW(r, w[b*f.wSize:(b+1)*f.wSize], mode)
						}
						am := mode
						if am == modeZero {
							am = modeRandom
						}
						f.fillA(r, a[b*f.aSize:(b+1)*f.aSize], am)
					}
					n := nb * f.blockSize
					want, abs := f.ref(n, w, a)
					// quant's reference must agree with ours (same tolerance).
					checkDot(t, fmt.Sprintf("quant ref vs ours: %s/%d blocks", mname, nb),
						float64(refVecDot(t, f.typ)(n, w, a)), want, abs, f.tol, mode)
					for off := 0; off < 8; off++ {
						got := k.Dot(n, at(w, off), at(a, (off*3)%8))
						name := fmt.Sprintf("%s/%d blocks/offset %d", mname, nb, off)
						checkDot(t, name, float64(got), want, abs, f.tol, mode)
					}
				}
			}
		})
	}
}

// refVecDot returns ggml/quant's plain-Go dot product for weight type t.
func refVecDot(t *testing.T, typ uint32) quant.VecDotFunc {
	tr, ok := quant.Type(typ).Traits()
	if !ok || tr.RefVecDot == nil {
		t.Fatalf("quant has no reference dot for type %d", typ)
	}
	return tr.RefVecDot
}

func checkDot(t *testing.T, name string, got, want, abs, tol float64, mode int) {
	t.Helper()
	if mode == modeUnit || mode == modeZero {
		if got != want {
			t.Errorf("%s: got %v, want exactly %v", name, got, want)
		}
		return
	}
	if math.IsNaN(got) || math.Abs(got-want) > tol*abs {
		t.Errorf("%s: got %v, want %v (diff %.3g > %.3g)", name, got, want, math.Abs(got-want), tol*abs)
	}
}
