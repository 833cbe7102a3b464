package amd64_test

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/kernels/amd64"
)

// FuzzDot feeds arbitrary bytes to every kernel as weight and activation
// blocks. Activation blocks are first made well-formed as ggml's
// quantizers would make them (int8 quants in [-127, 127], Q8_K bsums equal
// to the sums of their quants); weights and scales are left arbitrary
// (NaN, Inf, subnormal). Properties: no panic; Dot, DotRows, DotTokens
// and DotTile agree bit for bit; where the reference is finite, Dot is within 1e-5 of
// the sum of the absolute block terms (plus 1e-36 per element for results
// in float32's subnormal range).
func FuzzDot(f *testing.F) {
	r := rand.New(rand.NewPCG(51, 52))
	for _, fm := range formats {
		for _, nb := range []int{1, 3} {
			data := make([]byte, nb*(fm.wSize+fm.aSize))
			fillRandom(r, data)
			f.Add(uint8(fm.typ), data)
		}
	}
	f.Fuzz(func(t *testing.T, typ uint8, data []byte) {
		if !amd64.Enabled() {
			t.Skip("no AVX2/FMA/F16C")
		}
		var fm *format
		for i := range formats {
			if formats[i].typ == uint32(typ) {
				fm = &formats[i]
			}
		}
		k, ok := amd64.Lookup(uint32(typ))
		if fm == nil || !ok {
			return
		}
		nb := min(len(data)/(fm.wSize+fm.aSize), 64)
		if nb == 0 {
			return
		}
		w := data[:nb*fm.wSize]
		a := append([]byte(nil), data[nb*fm.wSize:nb*(fm.wSize+fm.aSize)]...)
		for b := 0; b < nb; b++ {
			wellFormedAct(fm.aSize, a[b*fm.aSize:(b+1)*fm.aSize])
		}
		n := nb * fm.blockSize
		got := k.Dot(n, w, a)
		rows := make([]float32, 1)
		k.DotRows(n, w, a, rows)
		toks := make([]float32, 5)
		act5 := make([]byte, 0, 5*len(a))
		for i := 0; i < 5; i++ {
			act5 = append(act5, a...)
		}
		k.DotTokens(n, w, act5, len(a), 5, toks, 1)
		// Five copies of the row (row pairs and the odd row of DotRows;
		// the 4x4, 4x2 and per-pair paths of DotTile with six tokens).
		w5 := make([]byte, 0, 5*len(w))
		for i := 0; i < 5; i++ {
			w5 = append(w5, w...)
		}
		rows5 := make([]float32, 5)
		k.DotRows(n, w5, a, rows5)
		rows = append(rows, rows5...)
		if k.DotTile != nil {
			act6 := append(act5, a...)
			tile := make([]float32, 6*5)
			k.DotTile(n, w5, len(w), 5, act6, len(a), 6, tile, 5)
			rows = append(rows, tile...)
		}
		for i, v := range append(rows, toks...) {
			if math.Float32bits(v) != math.Float32bits(got) {
				t.Fatalf("%s: result %d of DotRows/DotTile/DotTokens = %g (%#x), Dot = %g (%#x)", fm.name, i, v, math.Float32bits(v), got, math.Float32bits(got))
			}
		}
		want, abs := fm.ref(n, w, a)
		if math.IsNaN(abs) || math.IsInf(abs, 0) || abs > 1e37 {
			return
		}
		// Below float32's normal range results lose relative precision:
		// allow an absolute 1e-36 per element.
		if math.Abs(float64(got)-want) > fm.tol*abs+1e-36*float64(n) {
			t.Fatalf("%s, %d blocks: Dot = %g, reference %g (tolerance %g)\nw % x\na % x", fm.name, nb, got, want, fm.tol*abs, w, a)
		}
	})
}

// wellFormedAct makes an activation block of aSize bytes well-formed:
// Q8_0 (34) and Q8_1 (36) quants in [-127, 127]; Q8_K (292) quants in
// [-127, 127], |d| <= 1e30 and bsums equal to the sums of 16 quants. Float
// activations are left as they are.
func wellFormedAct(aSize int, b []byte) {
	clampQ := func(q []byte) {
		for i, v := range q {
			if v == 0x80 {
				q[i] = 0x81
			}
		}
	}
	switch aSize {
	case 34:
		clampQ(b[2:34])
	case 36:
		clampQ(b[4:36])
	case 292:
		// Real Q8_K scales are max|x|/127; keep d finite and below 1e30 so
		// that d times a float16 weight scale cannot overflow float32.
		if d := math.Float32frombits(binary.LittleEndian.Uint32(b)); math.IsNaN(float64(d)) || math.Abs(float64(d)) > 1e30 {
			putF32(b, 1)
		}
		clampQ(b[4:260])
		for g := 0; g < 16; g++ {
			s := 0
			for _, v := range b[4+16*g : 20+16*g] {
				s += int(int8(v))
			}
			binary.LittleEndian.PutUint16(b[260+2*g:], uint16(int16(s)))
		}
	}
}
