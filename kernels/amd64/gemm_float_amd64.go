package amd64

import (
	"encoding/binary"
	"fmt"
	"math"
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
	return gemm(tileF16, 2, halfToFloat16, n, w, nRows, x, nTok, out, outStride)
}

// GemmF32 is the GemmFunc for F32 weights.
func GemmF32(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error {
	return gemm(tileF32, 4, func(b []byte) float32 {
		return math.Float32frombits(binary.LittleEndian.Uint32(b))
	}, n, w, nRows, x, nTok, out, outStride)
}

// GemmBF16 is the GemmFunc for BF16 weights.
func GemmBF16(n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error {
	return gemm(tileBF16, 2, func(b []byte) float32 {
		return math.Float32frombits(uint32(binary.LittleEndian.Uint16(b)) << 16)
	}, n, w, nRows, x, nTok, out, outStride)
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

func halfToFloat16(b []byte) float32 { return halfToFloat(binary.LittleEndian.Uint16(b)) }

// gemm runs a 2x4 tile kernel over the whole product, in cache blocks. An
// odd last row and a last group of fewer than four tokens of a block
// repeat a row or token (computed again, stored once); elements past the
// last multiple of 8 are added in Go.
func gemm(kernel tileKind,
	elemSize int, elem func([]byte) float32,
	n int, w []byte, nRows int, x []float32, nTok int, out []float32, outStride int) error {
	if n < 0 || nRows < 0 || nTok < 0 {
		return fmt.Errorf("kernels/amd64: gemm: negative shape n=%d rows=%d tokens=%d", n, nRows, nTok)
	}
	if nRows == 0 || nTok == 0 {
		return nil
	}
	rowBytes := n * elemSize
	switch {
	case outStride < nRows:
		return fmt.Errorf("kernels/amd64: gemm: output stride %d below %d rows", outStride, nRows)
	case len(w) < nRows*rowBytes:
		return fmt.Errorf("kernels/amd64: gemm: %d weight bytes, want %d rows x %d", len(w), nRows, rowBytes)
	case len(x) < nTok*n:
		return fmt.Errorf("kernels/amd64: gemm: %d activations, want %d tokens x %d", len(x), nTok, n)
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
	// Cache blocking: a block of rows (about 128 KB of weights, kept in
	// L2) is run against blocks of tokens (about 256 KB of activations)
	// so that neither is streamed from further away once per row pair.
	rowBlock := max(2, (128<<10)/max(1, rowBytes)&^1)
	tokBlock := max(4, (256<<10)/max(1, 4*n)&^3)
	var tile [8]float32
	for rb := 0; rb < nRows; rb += rowBlock {
		rEnd := min(rb+rowBlock, nRows)
		for tb := 0; tb < nTok; tb += tokBlock {
			tEnd := min(tb+tokBlock, nTok)
			for r0 := rb; r0 < rEnd; r0 += 2 {
				rows := [2]int{r0, min(r0+1, rEnd-1)}
				t0 := tb
				if m == n && r0+1 < rEnd {
					// Fast path: whole tiles with no tail, stored
					// straight from the kernel's output.
					w0, w1 := &w[r0*rowBytes], &w[(r0+1)*rowBytes]
					for ; t0+4 <= tEnd; t0 += 4 {
						tile2x4(kernel, m, w0, w1, &x[t0*n], &x[(t0+1)*n], &x[(t0+2)*n], &x[(t0+3)*n], &tile)
						o := out[t0*outStride+r0 : (t0+3)*outStride+r0+2]
						o[0], o[1] = tile[0], tile[4]
						o[outStride], o[outStride+1] = tile[1], tile[5]
						o[2*outStride], o[2*outStride+1] = tile[2], tile[6]
						o[3*outStride], o[3*outStride+1] = tile[3], tile[7]
					}
				}
				for ; t0 < tEnd; t0 += 4 {
					toks := [4]int{t0, min(t0+1, tEnd-1), min(t0+2, tEnd-1), min(t0+3, tEnd-1)}
					if m > 0 {
						tile2x4(kernel, m, &w[rows[0]*rowBytes], &w[rows[1]*rowBytes],
							&x[toks[0]*n], &x[toks[1]*n], &x[toks[2]*n], &x[toks[3]*n], &tile)
					} else {
						tile = [8]float32{}
					}
					for i, r := range rows {
						if i == 1 && r == rows[0] {
							break
						}
						wr := w[r*rowBytes : (r+1)*rowBytes]
						for j, t := range toks {
							if j > 0 && t == toks[j-1] {
								break
							}
							s := tile[4*i+j]
							xt := x[t*n : (t+1)*n]
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
