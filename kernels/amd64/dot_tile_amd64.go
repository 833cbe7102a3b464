package amd64

//go:noescape
func dotQ8_0Tile4x4VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)

//go:noescape
func dotQ8_0Tile4x2VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)

//go:noescape
func dotQ8_0Tile2x2(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)

// tokensQ8_0 is Q8_0's DotTokens (the four-token kernel), which the tile
// uses for a last odd row.
var tokensQ8_0 = tokensX4(typeQ8_0, DotQ8_0, 32, sizeQ8_0, sizeQ8_0)

// DotTileQ8_0 is Q8_0's DotTile: out[t*outStride + r] = DotQ8_0(n,
// w[r*rowStride:], act[t*actStride:]) for r < nRows, t < nTok, bit for
// bit. With VNNI, rows go four at a time against four tokens at a time
// (then a pair of tokens); else two rows against two tokens at a time
// (the register-tiled kernels of dot_tile_amd64.s). A last odd token goes
// through DotQ8_0 and a last odd row through DotTokens.
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
		for ; r+4 <= nRows; r += 4 {
			t := 0
			if nTok >= 4 {
				dotQ8_0Tile4x4VNNI(nb, &w[r*rowStride], rowStride, &act[0], actStride, nTok/4, &out[r], outStride)
				t = nTok &^ 3
			}
			if nTok-t >= 2 {
				dotQ8_0Tile4x2VNNI(nb, &w[r*rowStride], rowStride, &act[t*actStride], actStride, 1, &out[t*outStride+r], outStride)
			}
			if nTok&1 != 0 {
				t := nTok - 1
				for i := r; i < r+4; i++ {
					out[t*outStride+i] = DotQ8_0(n, w[i*rowStride:], act[t*actStride:])
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
