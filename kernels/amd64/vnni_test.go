package amd64_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/kernels/amd64"
)

// TestVNNIMatchesAVX2 checks that the AVX512_VNNI forms give the AVX2
// forms' results bit for bit (Dot, DotRows, DotTokens, DotTile) on
// random, unit and extreme blocks. The other tests run whichever form the CPU selects.
func TestVNNIMatchesAVX2(t *testing.T) {
	if !amd64.HasVNNI() {
		t.Skip("no AVX512_VNNI+VL: " + amd64.Features())
	}
	defer amd64.SetVNNI(amd64.SetVNNI(true))
	for _, f := range formats {
		k, ok := amd64.Lookup(f.typ)
		if !ok {
			t.Errorf("%s: no kernel", f.name)
			continue
		}
		r := rand.New(rand.NewPCG(61, uint64(f.typ)))
		for _, mode := range []int{modeRandom, modeUnit, modeHuge, modeTiny} {
			const nb, nTok = 5, 6
			n := nb * f.blockSize
			w := make([]byte, 3*nb*f.wSize)
			for b := 0; b < 3*nb; b++ {
				f.fillW(r, w[b*f.wSize:(b+1)*f.wSize], mode)
			}
			a := make([]byte, nTok*nb*f.aSize)
			for b := 0; b < nTok*nb; b++ {
				f.fillA(r, a[b*f.aSize:(b+1)*f.aSize], mode)
			}
			var res [2][]float32
			for i, on := range []bool{false, true} {
				amd64.SetVNNI(on)
				out := []float32{k.Dot(n, w, a)}
				rows := make([]float32, 3)
				k.DotRows(n, w, a, rows)
				toks := make([]float32, nTok)
				k.DotTokens(n, w, a, nb*f.aSize, nTok, toks, 1)
				res[i] = append(append(out, rows...), toks...)
				if k.DotTile != nil {
					// Five overlapping rows half a row apart: the 4x4 and
					// 4x2 VNNI tiles, and the rows and tokens left over.
					tile := make([]float32, 5*nTok)
					k.DotTile(n, w, nb*f.wSize/2, 5, a, nb*f.aSize, nTok, tile, 5)
					res[i] = append(res[i], tile...)
				}
			}
			for j := range res[0] {
				if math.Float32bits(res[0][j]) != math.Float32bits(res[1][j]) {
					t.Errorf("%s mode %s: result %d: AVX2 %g, VNNI %g", f.name, modeNames[mode], j, res[0][j], res[1][j])
				}
			}
		}
	}
}
