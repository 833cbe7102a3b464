package amd64

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"
)

//go:noescape
func gemmF16x2x4(n int, w0, w1 *byte, x0, x1, x2, x3 *float32, out *[8]float32)

//go:noescape
func gemmF32x2x4(n int, w0, w1 *byte, x0, x1, x2, x3 *float32, out *[8]float32)

//go:noescape
func gemmBF16x2x4(n int, w0, w1 *byte, x0, x1, x2, x3 *float32, out *[8]float32)

// GemmF16 is the GemmFunc for F16 weights (2-row x 4-token register
// tiles; results within a few float32 ulps of sum |w*x| of the exact sum).
func GemmF16(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error {
	return gemm(tileF16, 2, halfToFloat16, n, w, 2*n, nRows, x, n, nTok, out, outStride)
}

// GemmF32 is the GemmFunc for F32 weights.
func GemmF32(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error {
	return gemm(tileF32, 4, f32At, n, w, 4*n, nRows, x, n, nTok, out, outStride)
}

// GemmF32Strided is GemmF32 over strided rows: weight row r is the n
// float32 at w[r*wStride:], activation row t the n at x[t*xStride:], so
// that attention multiplies heads in place (the keys of one head, the
// queries of one head in every token, the value cache's rows) without
// gathering them first. Strides are in elements, at least n.
func GemmF32Strided(n int, w []float32, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	var wb []byte
	if len(w) > 0 {
		wb = unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 4*len(w))
	}
	return gemm(tileF32, 4, f32At, n, wb, 4*wStride, nRows, x, xStride, nTok, out, outStride)
}

// GemmF16Strided is GemmF16 over strided rows: weight row r is the n F16
// values at byte 2*r*wStride of w, activation row t the n float32 at
// x[t*xStride:], for attention over an F16 KV cache (keys, transposed
// value rows) in place. Strides are in elements, at least n.
func GemmF16Strided(n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	return gemm(tileF16, 2, halfToFloat16, n, w, 2*wStride, nRows, x, xStride, nTok, out, outStride)
}

// GemmBF16 is the GemmFunc for BF16 weights.
func GemmBF16(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error {
	return gemm(tileBF16, 2, func(b []byte) float32 {
		return math.Float32frombits(uint32(binary.LittleEndian.Uint16(b)) << 16)
	}, n, w, 2*n, nRows, x, n, nTok, out, outStride)
}

// tileKind selects the 2x4 tile kernel of a weight type.
type tileKind int

const (
	tileF16 tileKind = iota
	tileF32
	tileBF16
)

// tile2x4 runs the tile kernel of kind k. The calls are direct, not
// through a func value, so that out stays on the caller's stack
// (go:noescape holds only for direct calls).
func tile2x4(k tileKind, n int, w0, w1 *byte, x0, x1, x2, x3 *float32, out *[8]float32) {
	switch k {
	case tileF16:
		gemmF16x2x4(n, w0, w1, x0, x1, x2, x3, out)
	case tileF32:
		gemmF32x2x4(n, w0, w1, x0, x1, x2, x3, out)
	case tileBF16:
		gemmBF16x2x4(n, w0, w1, x0, x1, x2, x3, out)
	}
}

// gemmKC is the longest segment of a row the whole-tile loop gives the
// kernel at once: four tokens' segments (16 KB of float32) stay in L1.
const gemmKC = 1024

func halfToFloat16(b []byte) float32 { return halfToFloat(binary.LittleEndian.Uint16(b)) }

func f32At(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) }

// gemm runs a 2x4 tile kernel over the whole product, in cache blocks:
// for each block of rows (weights in L2) and group of four tokens (their
// activations, one segment of at most gemmKC values each, in L1), every
// pair of rows of the block, so that the tile kernel streams the weights
// from L2 and reads the activations from L1. An odd last row and a last
// group of fewer than four tokens repeat a row or token (computed again,
// stored once); elements past the last multiple of 8 are added in Go.
func gemm(kernel tileKind,
	elemSize int, elem func([]byte) float32,
	n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
	if n < 0 || nRows < 0 || nTok < 0 {
		return fmt.Errorf("kernels/amd64: gemm: negative shape n=%d rows=%d tokens=%d", n, nRows, nTok)
	}
	if nRows == 0 || nTok == 0 {
		return nil
	}
	rowBytes := wStride // bytes from one weight row to the next
	switch {
	case rowBytes < n*elemSize || xStride < n:
		return fmt.Errorf("kernels/amd64: gemm: strides %d bytes, %d values below rows of n=%d", rowBytes, xStride, n)
	case outStride < nRows:
		return fmt.Errorf("kernels/amd64: gemm: output stride %d below %d rows", outStride, nRows)
	case len(w) < (nRows-1)*rowBytes+n*elemSize:
		return fmt.Errorf("kernels/amd64: gemm: %d weight bytes, want %d rows of %d bytes %d apart", len(w), nRows, n*elemSize, rowBytes)
	case len(x) < (nTok-1)*xStride+n:
		return fmt.Errorf("kernels/amd64: gemm: %d activations, want %d tokens of %d values %d apart", len(x), nTok, n, xStride)
	case len(out) < (nTok-1)*outStride+nRows:
		return fmt.Errorf("kernels/amd64: gemm: %d outputs, want %d", len(out), (nTok-1)*outStride+nRows)
	}
	if n == 0 {
		for t := 0; t < nTok; t++ {
			clear(out[t*outStride : t*outStride+nRows])
		}
		return nil
	}
	m := n &^ 7
	// Row blocks of about 128 KB of weights (a kc-segment of each row),
	// token blocks of about 256 KB of activations for the tails.
	kc := m
	if m > gemmKC {
		kc = (m/((m+gemmKC-1)/gemmKC) + 7) &^ 7 // equal segments, multiples of 8
	}
	rowBlock := max(2, (128<<10)/max(1, kc*elemSize)&^1)
	tokBlock := max(4, (256<<10)/max(1, 4*n)&^3)
	var tile [8]float32
	for rb := 0; rb < nRows; rb += rowBlock {
		rEnd := min(rb+rowBlock, nRows)
		// Whole tiles (pairs of rows, groups of four tokens) with no
		// tail: stored, or added segment by segment, straight from the
		// kernel's output.
		rPairs := rb + (rEnd-rb)&^1
		tQuads := nTok &^ 3
		if m != n {
			tQuads = 0
		}
		for k0 := 0; k0 < m && rPairs > rb; k0 += kc {
			kn := min(kc, m-k0)
			for t0 := 0; t0 < tQuads; t0 += 4 {
				x0, x1, x2, x3 := &x[t0*xStride+k0], &x[(t0+1)*xStride+k0], &x[(t0+2)*xStride+k0], &x[(t0+3)*xStride+k0]
				for r0 := rb; r0 < rPairs; r0 += 2 {
					tile2x4(kernel, kn, &w[r0*rowBytes+k0*elemSize], &w[(r0+1)*rowBytes+k0*elemSize], x0, x1, x2, x3, &tile)
					o := out[t0*outStride+r0 : (t0+3)*outStride+r0+2]
					if k0 == 0 {
						o[0], o[1] = tile[0], tile[4]
						o[outStride], o[outStride+1] = tile[1], tile[5]
						o[2*outStride], o[2*outStride+1] = tile[2], tile[6]
						o[3*outStride], o[3*outStride+1] = tile[3], tile[7]
					} else {
						o[0], o[1] = o[0]+tile[0], o[1]+tile[4]
						o[outStride], o[outStride+1] = o[outStride]+tile[1], o[outStride+1]+tile[5]
						o[2*outStride], o[2*outStride+1] = o[2*outStride]+tile[2], o[2*outStride+1]+tile[6]
						o[3*outStride], o[3*outStride+1] = o[3*outStride]+tile[3], o[3*outStride+1]+tile[7]
					}
				}
			}
		}
		// The rest: every token of an odd last row, the tokens after the
		// whole groups of every pair, and everything when n is not a
		// multiple of 8.
		for tb := 0; tb < nTok; tb += tokBlock {
			tEnd := min(tb+tokBlock, nTok)
			for r0 := rb; r0 < rEnd; r0 += 2 {
				rows := [2]int{r0, min(r0+1, rEnd-1)}
				t0 := tb
				if r0 < rPairs {
					t0 = max(tb, tQuads)
				}
				for ; t0 < tEnd; t0 += 4 {
					toks := [4]int{t0, min(t0+1, tEnd-1), min(t0+2, tEnd-1), min(t0+3, tEnd-1)}
					if m > 0 {
						tile2x4(kernel, m, &w[rows[0]*rowBytes], &w[rows[1]*rowBytes],
							&x[toks[0]*xStride], &x[toks[1]*xStride], &x[toks[2]*xStride], &x[toks[3]*xStride], &tile)
					} else {
						tile = [8]float32{}
					}
					for i, r := range rows {
						if i == 1 && r == rows[0] {
							break
						}
						wr := w[r*rowBytes : r*rowBytes+n*elemSize]
						for j, t := range toks {
							if j > 0 && t == toks[j-1] {
								break
							}
							s := tile[4*i+j]
							xt := x[t*xStride : t*xStride+n]
							for k := m; k < n; k++ {
								s += elem(wr[k*elemSize:]) * xt[k]
							}
							out[t*outStride+r] = s
						}
					}
				}
			}
		}
	}
	return nil
}
