package amd64_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/kernels/amd64"
)

// TestDotTokens checks that DotTokens (four-token asm kernels plus the
// remainder) equals Dot token by token, bit for bit, for 1..9 tokens with
// padded (misaligning) activation strides and an output stride, on
// random, unit and extreme blocks.
func TestDotTokens(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	for _, f := range formats {
		k, ok := amd64.Lookup(f.typ)
		if !ok {
			t.Errorf("%s: no kernel", f.name)
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(31, uint64(f.typ)))
			for _, mode := range []int{modeRandom, modeUnit, modeHuge, modeTiny} {
				for _, nb := range []int{1, 2, 3, 5} {
					n := nb * f.blockSize
					if f.blockSize == 1 {
						n = 37 * nb
					}
					nbw := n / f.blockSize
					w := make([]byte, nbw*f.wSize)
					for b := 0; b < nbw; b++ {
						f.fillW(r, w[b*f.wSize:(b+1)*f.wSize], mode)
					}
					stride := nbw*f.aSize + 5
					const nTokMax, outStride = 9, 3
					act := make([]byte, 1+nTokMax*stride)[1:]
					for tok := 0; tok < nTokMax; tok++ {
						for b := 0; b < nbw; b++ {
							o := tok*stride + b*f.aSize
							f.fillA(r, act[o:o+f.aSize], mode)
						}
					}
					for nTok := 1; nTok <= nTokMax; nTok++ {
						out := make([]float32, nTok*outStride)
						for i := range out {
							out[i] = -7
						}
						k.DotTokens(n, w, act, stride, nTok, out, outStride)
						for tok := 0; tok < nTok; tok++ {
							want := k.Dot(n, w, act[tok*stride:])
							if got := out[tok*outStride]; math.Float32bits(got) != math.Float32bits(want) {
								t.Errorf("mode %s, %d blocks, %d tokens: token %d = %g, Dot = %g",
									modeNames[mode], nb, nTok, tok, got, want)
							}
							for j := 1; j < outStride; j++ {
								if out[tok*outStride+j] != -7 {
									t.Fatalf("DotTokens wrote out[%d] outside the stride", tok*outStride+j)
								}
							}
						}
					}
				}
			}
		})
	}
}

// TestDotRows checks that DotRows (the row loop inside the asm for the
// block formats; Q4_K pairs rows i, i+rows/2) equals Dot row by row, bit
// for bit, for 1..9 rows at byte offsets 1..7 of w and act, and writes
// nothing past len(out).
func TestDotRows(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	for _, f := range formats {
		k, ok := amd64.Lookup(f.typ)
		if !ok {
			t.Errorf("%s: no kernel", f.name)
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(41, uint64(f.typ)))
			for _, mode := range []int{modeRandom, modeZero, modeUnit, modeHuge} {
				for _, nb := range []int{1, 2, 3, 4} {
					n := nb * f.blockSize
					if f.blockSize == 1 {
						n = 29 * nb
					}
					nbw := n / f.blockSize
					const rowsMax = 9
					wOff, aOff := 1+(nb+2*mode)%7, 1+(3*nb+mode)%7
					w := make([]byte, wOff+rowsMax*nbw*f.wSize)[wOff:]
					if mode != modeZero {
						for b := 0; b < rowsMax*nbw; b++ {
							f.fillW(r, w[b*f.wSize:(b+1)*f.wSize], mode)
						}
					}
					a := make([]byte, aOff+nbw*f.aSize)[aOff:]
					for b := 0; b < nbw; b++ {
						f.fillA(r, a[b*f.aSize:(b+1)*f.aSize], max(mode, modeRandom))
					}
					for rows := 1; rows <= rowsMax; rows++ {
						out := make([]float32, rows+1)
						out[rows] = -7
						k.DotRows(n, w, a, out[:rows])
						if out[rows] != -7 {
							t.Fatalf("DotRows wrote past len(out)")
						}
						rb := nbw * f.wSize
						for i := 0; i < rows; i++ {
							want := k.Dot(n, w[i*rb:(i+1)*rb], a)
							if math.Float32bits(out[i]) != math.Float32bits(want) {
								t.Errorf("mode %s, %d blocks, %d rows: row %d = %g, Dot = %g",
									modeNames[mode], nb, rows, i, out[i], want)
							}
						}
					}
				}
			}
		})
	}
}

// TestNoAlloc: Dot, DotRows, DotTokens (four-token kernels included),
// DotTile and Gemm allocate nothing per call.
func TestNoAlloc(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	r := rand.New(rand.NewPCG(51, 52))
	for _, f := range formats {
		k, _ := amd64.Lookup(f.typ)
		n := 2 * f.blockSize
		if f.blockSize == 1 {
			n = 64
		}
		nbw := n / f.blockSize
		w := make([]byte, 2*nbw*f.wSize)
		for b := 0; b < 2*nbw; b++ {
			f.fillW(r, w[b*f.wSize:(b+1)*f.wSize], modeRandom)
		}
		const nTok = 5
		stride := nbw * f.aSize
		act := make([]byte, nTok*stride)
		for b := 0; b < nTok*nbw; b++ {
			f.fillA(r, act[b*f.aSize:(b+1)*f.aSize], modeRandom)
		}
		x := make([]float32, nTok*n)
		out := make([]float32, 2*nTok)
		if a := testing.AllocsPerRun(20, func() {
			k.Dot(n, w, act)
			k.DotRows(n, w, act, out[:2])
			k.DotTokens(n, w, act, stride, nTok, out, 1)
			if k.DotTile != nil {
				k.DotTile(n, w, nbw*f.wSize, 2, act, stride, nTok, out, 2)
			}
			if k.Gemm != nil {
				k.Gemm(n, w, 2, x, nTok, out, 2)
			}
		}); a != 0 {
			t.Errorf("%s: %v allocations per call", f.name, a)
		}
	}
}
