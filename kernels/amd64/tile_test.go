package amd64_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/amd64"
)

// TestDotTile checks that DotTile equals Dot for every (row, token) pair,
// bit for bit, for 1..9 rows and 1..9 tokens (every tail of the register
// tiles), 1..5, 7, 9 and 12 blocks, padded row and activation strides,
// byte offsets 0..7 of w and of act, on random, unit and extreme blocks, with the
// VNNI and the AVX2 forms (where the CPU has VNNI), and that it writes
// nothing but its results.
func TestDotTile(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	vnni := []bool{false}
	if amd64.HasVNNI() {
		vnni = append(vnni, true)
	}
	defer amd64.SetVNNI(amd64.SetVNNI(true))
	tested := 0
	for _, f := range formats {
		k, ok := amd64.Lookup(f.typ)
		if !ok || k.DotTile == nil {
			continue
		}
		tested++
		t.Run(f.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(71, uint64(f.typ)))
			for _, on := range vnni {
				amd64.SetVNNI(on)
				for ci, nb := range []int{1, 2, 3, 4, 5, 7, 9, 12} {
					mode := []int{modeRandom, modeUnit, modeHuge, modeTiny}[ci%4]
					n := nb * f.blockSize
					const rowsMax, tokMax = 9, 9
					rowStride := nb*f.wSize + ci%3*7
					actStride := nb*f.aSize + ci%2*5
					wOff, aOff := ci%8, (3*ci+1)%8
					w := make([]byte, wOff+rowsMax*rowStride)[wOff:]
					for row := 0; row < rowsMax; row++ {
						for b := 0; b < nb; b++ {
							o := row*rowStride + b*f.wSize
							f.fillW(r, w[o:o+f.wSize], mode)
						}
					}
					act := make([]byte, aOff+tokMax*actStride)[aOff:]
					for tok := 0; tok < tokMax; tok++ {
						for b := 0; b < nb; b++ {
							o := tok*actStride + b*f.aSize
							f.fillA(r, act[o:o+f.aSize], mode)
						}
					}
					want := make([]float32, rowsMax*tokMax)
					for row := 0; row < rowsMax; row++ {
						for tok := 0; tok < tokMax; tok++ {
							want[tok*rowsMax+row] = k.Dot(n, w[row*rowStride:], act[tok*actStride:])
						}
					}
					for nRows := 1; nRows <= rowsMax; nRows++ {
						for nTok := 1; nTok <= tokMax; nTok++ {
							outStride := nRows + nTok%3
							out := make([]float32, nTok*outStride+1)
							for i := range out {
								out[i] = -7
							}
							k.DotTile(n, w, rowStride, nRows, act, actStride, nTok, out, outStride)
							for i, v := range out {
								row, tok := i%outStride, i/outStride
								if row >= nRows || tok >= nTok {
									if v != -7 {
										t.Fatalf("vnni %v, %d blocks, %dx%d: wrote out[%d] outside the tile", on, nb, nRows, nTok, i)
									}
									continue
								}
								if w := want[tok*rowsMax+row]; math.Float32bits(v) != math.Float32bits(w) {
									t.Errorf("vnni %v, mode %s, %d blocks, %dx%d tile: (row %d, token %d) = %g, Dot = %g",
										on, modeNames[mode], nb, nRows, nTok, row, tok, v, w)
								}
							}
						}
					}
				}
			}
		})
	}
	if tested == 0 {
		t.Error("no type has a DotTile kernel")
	}
}

// benchTile times a 1024x1024 weight matrix against 64 tokens per
// iteration, as quant's MatMat gives it to one thread: chunks of 256 rows
// against all tokens, through DotTile ("tile"), DotTokens per row
// ("tokens") and Dot per pair ("dot"); the -avx2only forms without the
// VNNI kernels. SetBytes counts the weight bytes
// once per iteration (MB/s = weights streamed); GFLOP/s counts 2 per
// multiply-add.
func benchTile(b *testing.B, typ quant.Type) {
	k, ok := amd64.Lookup(uint32(typ))
	if !ok {
		b.Skip("no kernel for " + typ.String())
	}
	const cols, nTok, chunk = 1024, 64, 256
	modes := []string{"tile", "tile-avx2only", "tokens", "tokens-avx2only", "dot"}
	for _, mode := range modes {
		avx2only := strings.HasSuffix(mode, "-avx2only")
		if strings.HasPrefix(mode, "tile") && k.DotTile == nil || avx2only && !amd64.HasVNNI() {
			continue
		}
		b.Run(mode, func(b *testing.B) {
			if avx2only {
				defer amd64.SetVNNI(amd64.SetVNNI(false))
			}
			w, rowBytes, rows, act1 := benchMatrixCols(b, typ, 1024*rowSize(b, typ, cols), cols)
			act := make([]byte, 0, nTok*len(act1))
			for i := 0; i < nTok; i++ {
				act = append(act, act1...)
			}
			out := make([]float32, nTok*rows)
			b.SetBytes(int64(len(w)))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := threadCPU()
			for b.Loop() {
				for r0 := 0; r0 < rows; r0 += chunk {
					r1 := min(r0+chunk, rows)
					switch mode {
					case "tile", "tile-avx2only":
						k.DotTile(cols, w[r0*rowBytes:r1*rowBytes], rowBytes, r1-r0, act, len(act1), nTok, out[r0:], rows)
					case "tokens", "tokens-avx2only":
						for r := r0; r < r1; r++ {
							k.DotTokens(cols, w[r*rowBytes:(r+1)*rowBytes], act, len(act1), nTok, out[r:], rows)
						}
					default:
						for r := r0; r < r1; r++ {
							for tok := 0; tok < nTok; tok++ {
								out[tok*rows+r] = k.Dot(cols, w[r*rowBytes:(r+1)*rowBytes], act[tok*len(act1):])
							}
						}
					}
				}
			}
			flops := 2 * float64(nTok*rows*cols) * float64(b.N)
			if cpu := threadCPU() - cpu0; cpu0 != 0 && cpu > 0 {
				b.ReportMetric(flops/cpu.Seconds()/1e9, "cpuGFLOP/s")
			}
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func rowSize(b *testing.B, typ quant.Type, cols int) int {
	n, err := quant.RowSize(typ, cols)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

func BenchmarkDotTileQ8_0(b *testing.B) { benchTile(b, quant.Q8_0) }
func BenchmarkDotTileQ4_K(b *testing.B) { benchTile(b, quant.Q4_K) }
func BenchmarkDotTileQ6_K(b *testing.B) { benchTile(b, quant.Q6_K) }

// TestDotTileLongRows checks DotTile against Dot for rows of 256 blocks
// (the longest the 4x4 tile takes: tokens in groups of 32) and 257 blocks
// (the 4x2 tile for all tokens), 5 rows x 41 tokens, with the AVX2 and
// (where the CPU has them) the VNNI kernels.
func TestDotTileLongRows(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	k, ok := amd64.Lookup(8)
	if !ok || k.DotTile == nil {
		t.Fatal("no q8_0 DotTile")
	}
	vnni := []bool{false}
	if amd64.HasVNNI() {
		vnni = append(vnni, true)
	}
	defer amd64.SetVNNI(amd64.SetVNNI(true))
	r := rand.New(rand.NewPCG(81, 82))
	for i, nb := range []int{256, 257, 256, 257} {
		amd64.SetVNNI(vnni[i/2%len(vnni)])
		const nRows, nTok = 5, 41
		n := 32 * nb
		rowStride, actStride := nb*34+3, nb*34+1
		w := make([]byte, nRows*rowStride)
		act := make([]byte, nTok*actStride)
		for row := 0; row < nRows; row++ {
			for b := 0; b < nb; b++ {
				fillQ8_0(r, w[row*rowStride+34*b:], modeRandom)
			}
		}
		for tok := 0; tok < nTok; tok++ {
			for b := 0; b < nb; b++ {
				fillQ8_0(r, act[tok*actStride+34*b:], modeRandom)
			}
		}
		out := make([]float32, nTok*nRows)
		k.DotTile(n, w, rowStride, nRows, act, actStride, nTok, out, nRows)
		for tok := 0; tok < nTok; tok++ {
			for row := 0; row < nRows; row++ {
				want := k.Dot(n, w[row*rowStride:], act[tok*actStride:])
				if got := out[tok*nRows+row]; math.Float32bits(got) != math.Float32bits(want) {
					t.Errorf("%d blocks: (row %d, token %d) = %g, Dot = %g", nb, row, tok, got, want)
				}
			}
		}
	}
}
