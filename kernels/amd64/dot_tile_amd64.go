package amd64

import "github.com/limnx/limnx/kernels"

//go:noescape
func dotQ8_0Tile4x4VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int, dw, da *float32)

//go:noescape
func q8ScalesDa(nb int, a *byte, aStride, nt int, out *float32)

// Scratch of the 4x4 tile, on DotTileQ8_0's stack: the weight scales of
// four rows (16 float32 a block) and the activation scales of a group of
// tokens (one float32 a token and block). Longer rows take the 4x2 tile.
const (
	tileMaxBlocks = 256
	tileDaFloats  = 8192
)

//go:noescape
func dotQ8_0Tile4x2VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)

//go:noescape
func dotQ8_0Tile2x2(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)

// tokensQ8_0 is Q8_0's DotTokens (the four-token kernel), which the tile
// uses for a last odd row.
var tokensQ8_0 = tokensX4(kernels.TypeQ8_0, DotQ8_0, 32, sizeQ8_0, sizeQ8_0)

// DotTileQ8_0 is Q8_0's DotTile: out[t*outStride + r] = DotQ8_0(n,
// w[r*rowStride:], act[t*actStride:]) for r < nRows, t < nTok, bit for
// bit. With VNNI, rows go four at a time against four tokens at a time
// (tile4x4Q8_0), then against pairs of tokens (all of them for rows of
// more than tileMaxBlocks blocks); else two rows against two tokens at a
// time (the register-tiled kernels of dot_tile_amd64.s). A last odd
// token goes through DotQ8_0, and the last rows through the 2x2 tile and
// DotTokens.
func DotTileQ8_0(n int, w []byte, rowStride, nRows int, act []byte, actStride, nTok int, out []float32, outStride int) {
	if nRows <= 0 || nTok <= 0 {
		return
	}
	if rowStride < 0 || actStride < 0 || outStride < 0 {
		// The assembly addresses rows, tokens and results by these strides.
		panic("kernels/amd64: DotTile: negative stride")
	}
	out = out[:(nTok-1)*outStride+nRows]
	nb := n / 32
	if nb <= 0 {
		for t := 0; t < nTok; t++ {
			clear(out[t*outStride : t*outStride+nRows])
		}
		return
	}
	w = w[:(nRows-1)*rowStride+nb*sizeQ8_0]
	act = act[:(nTok-1)*actStride+nb*sizeQ8_0]
	nt := nTok / 2
	r := 0
	if useVNNI {
		r = nRows &^ 3
		t := 0 // tokens done by the 4x4 tile
		if nb <= tileMaxBlocks && r > 0 && nTok >= 4 {
			t = nTok &^ 3
			tile4x4Q8_0(nb, w, rowStride, r, act, actStride, t, out, outStride)
		}
		for r0 := 0; r0 < r; r0 += 4 {
			if nTok-t >= 2 {
				dotQ8_0Tile4x2VNNI(nb, &w[r0*rowStride], rowStride, &act[t*actStride], actStride, (nTok-t)/2,
					&out[t*outStride+r0], outStride)
			}
			if (nTok-t)&1 != 0 {
				last := nTok - 1
				for i := r0; i < r0+4; i++ {
					out[last*outStride+i] = DotQ8_0(n, w[i*rowStride:], act[last*actStride:])
				}
			}
		}
	}
	for ; r+2 <= nRows; r += 2 {
		if nt > 0 {
			dotQ8_0Tile2x2(nb, &w[r*rowStride], rowStride, &act[0], actStride, nt, &out[r], outStride)
		}
		if nTok&1 != 0 {
			t := nTok - 1
			out[t*outStride+r] = DotQ8_0(n, w[r*rowStride:], act[t*actStride:])
			out[t*outStride+r+1] = DotQ8_0(n, w[(r+1)*rowStride:], act[t*actStride:])
		}
	}
	if r < nRows {
		tokensQ8_0(n, w[r*rowStride:], act, actStride, nTok, out[r:], outStride)
	}
}

// tile4x4Q8_0 runs the 4x4 VNNI tile over nRows rows and nTok tokens
// (both multiples of 4, nb <= tileMaxBlocks): tokens in groups whose
// activation scales fit da, converted to float32 once per group, and
// every four rows against all tiles of a group.
func tile4x4Q8_0(nb int, w []byte, rowStride, nRows int, act []byte, actStride, nTok int, out []float32, outStride int) {
	var dw [16 * tileMaxBlocks]float32
	var da [tileDaFloats]float32
	group := tileDaFloats / nb &^ 3 // tokens per group, >= 32
	for t0 := 0; t0 < nTok; t0 += group {
		nt := min(group, nTok-t0) / 4
		q8ScalesDa(nb, &act[t0*actStride], actStride, nt, &da[0])
		for r := 0; r < nRows; r += 4 {
			dotQ8_0Tile4x4VNNI(nb, &w[r*rowStride], rowStride, &act[t0*actStride], actStride, nt,
				&out[t0*outStride+r], outStride, &dw[0], &da[0])
		}
	}
}
