package amd64_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"unsafe"

	"github.com/limnx/limnx/kernels/amd64"
)

// TestGemm checks the float Gemm kernels against a float64 reference for
// many shapes (odd rows, token counts that are not multiples of 4, n not a
// multiple of 8), misaligned weights, an output stride with gaps that must
// stay untouched, and bad shapes returning errors. Tolerance: 1e-5 of
// sum |w*x| (only the summation order differs).
func TestGemm(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	r := rand.New(rand.NewPCG(71, 72))
	for _, f := range formats[:3] { // f32, f16, bf16
		k, ok := amd64.Lookup(f.typ)
		if !ok || k.Gemm == nil {
			t.Errorf("%s: no Gemm", f.name)
			continue
		}
		get := map[uint32]func([]byte) float64{0: f32, 1: f16, 30: bf16}[f.typ]
		// n = 40000 makes rows and activations large enough that the cache
		// blocks split both (2-row and 4-token blocks).
		for _, n := range []int{0, 1, 7, 8, 33, 256, 40000} {
			for _, nRows := range []int{1, 2, 3, 5} {
				for _, nTok := range []int{1, 2, 3, 4, 5, 9} {
					if n == 40000 && (nRows < 3 || nTok < 5) {
						continue
					}
					t.Run(fmt.Sprintf("%s/n=%d/rows=%d/tok=%d", f.name, n, nRows, nTok), func(t *testing.T) {
						w := make([]byte, 3+nRows*n*f.wSize)[3:]
						for i := 0; i < nRows*n; i++ {
							f.fillW(r, w[i*f.wSize:(i+1)*f.wSize], modeRandom)
						}
						x := make([]float32, nTok*n)
						for i := range x {
							x[i] = float32(r.NormFloat64())
						}
						outStride := nRows + 2
						out := make([]float32, nTok*outStride)
						for i := range out {
							out[i] = -7
						}
						if err := k.Gemm(n, w, nRows, x, nTok, out, outStride); err != nil {
							t.Fatal(err)
						}
						for tok := 0; tok < nTok; tok++ {
							for row := 0; row < outStride; row++ {
								got := out[tok*outStride+row]
								if row >= nRows {
									if got != -7 {
										t.Fatalf("out[%d] outside the rows was written", tok*outStride+row)
									}
									continue
								}
								var want, abs float64
								for i := 0; i < n; i++ {
									p := get(w[(row*n+i)*f.wSize:]) * float64(x[tok*n+i])
									want += p
									abs += math.Abs(p)
								}
								if math.Abs(float64(got)-want) > 1e-5*abs {
									t.Errorf("row %d token %d: %g, want %g", row, tok, got, want)
								}
							}
						}
					})
				}
			}
		}
		// Bad shapes are errors, not panics.
		w := make([]byte, 4*8*f.wSize)
		x := make([]float32, 2*8)
		out := make([]float32, 8)
		for _, bad := range []struct {
			n, rows, tok, stride int
			w                    []byte
			x                    []float32
			out                  []float32
		}{
			{-1, 1, 1, 1, w, x, out},
			{8, 4, 2, 3, w, x, out},     // stride below rows
			{8, 5, 1, 5, w, x, out},     // too few weight bytes
			{8, 1, 3, 1, w, x, out},     // too few activations
			{8, 4, 2, 4, w, x, out[:7]}, // too few outputs
		} {
			if err := k.Gemm(bad.n, bad.w, bad.rows, bad.x, bad.tok, bad.out, bad.stride); err == nil {
				t.Errorf("%s: Gemm(n=%d, rows=%d, tokens=%d, stride=%d) with %d/%d/%d values: no error",
					f.name, bad.n, bad.rows, bad.tok, bad.stride, len(bad.w), len(bad.x), len(bad.out))
			}
		}
	}
}

// BenchmarkGemmModelF16 times Gemm in a prompt's shape: a 1024 x 1024 F16
// matrix (Qwen3-0.6B's K projection) against 512 tokens, reporting
// cpuGFLOP/s (per thread CPU time, steadier on a shared machine) and
// GFLOP/s.
func BenchmarkGemmModelF16(b *testing.B) {
	k, ok := amd64.Lookup(1)
	if !ok || k.Gemm == nil {
		b.Skip("no F16 Gemm: " + amd64.Features())
	}
	const n, rows, nTok = 1024, 1024, 512
	r := rand.New(rand.NewPCG(5, 6))
	w := make([]byte, 2*rows*n)
	for i := 0; i < rows*n; i++ {
		formats[1].fillW(r, w[2*i:2*i+2], modeRandom)
	}
	x := make([]float32, nTok*n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	out := make([]float32, nTok*rows)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := threadCPU()
	for b.Loop() {
		if err := k.Gemm(n, w, rows, x, nTok, out, rows); err != nil {
			b.Fatal(err)
		}
	}
	flops := 2 * float64(nTok*rows*n) * float64(b.N)
	if cpu := threadCPU() - cpu0; cpu0 != 0 && cpu > 0 {
		b.ReportMetric(flops/cpu.Seconds()/1e9, "cpuGFLOP/s")
	}
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// TestGemmStrided: GemmF32Strided and GemmF16Strided over strided weight
// and activation rows give the float64 products within 1e-5 of sum |w*x|,
// for shapes around the tile sizes, leave the output's gaps alone, and
// refuse strides below n and short activations.
func TestGemmStrided(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	r := rand.New(rand.NewPCG(73, 74))
	kinds := []struct {
		name string
		size int // bytes per weight
		// gemm runs the kernel on weights w given as bytes.
		gemm func(n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error
		get  func([]byte) float64
		fill func(r *rand.Rand, b []byte, mode int)
	}{
		{"f32", 4, func(n int, w []byte, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) error {
			return amd64.GemmF32Strided(n, f32s(w), wStride, nRows, x, xStride, nTok, out, outStride)
		}, f32, formats[0].fillW},
		{"f16", 2, amd64.GemmF16Strided, f16, formats[1].fillW},
	}
	for _, k := range kinds {
		for _, n := range []int{1, 8, 13, 128, 1030} {
			for _, nRows := range []int{1, 2, 3, 7} {
				for _, nTok := range []int{1, 2, 4, 5} {
					wStride, xStride := n+r.IntN(5), n+r.IntN(5)
					w := make([]byte, k.size*((nRows-1)*wStride+n))
					for i := 0; i < len(w); i += k.size {
						k.fill(r, w[i:i+k.size], modeRandom)
					}
					x := make([]float32, (nTok-1)*xStride+n)
					for i := range x {
						x[i] = float32(r.NormFloat64())
					}
					outStride := nRows + 1
					out := make([]float32, nTok*outStride)
					if err := k.gemm(n, w, wStride, nRows, x, xStride, nTok, out, outStride); err != nil {
						t.Fatal(err)
					}
					for tok := 0; tok < nTok; tok++ {
						for row := 0; row < nRows; row++ {
							var want, abs float64
							for e := 0; e < n; e++ {
								p := k.get(w[k.size*(row*wStride+e):]) * float64(x[tok*xStride+e])
								want += p
								abs += math.Abs(p)
							}
							if got := float64(out[tok*outStride+row]); math.Abs(got-want) > 1e-5*abs {
								t.Fatalf("%s n=%d rows=%d tokens=%d strides %d,%d: out[%d][%d] = %g, want %g", k.name, n, nRows, nTok, wStride, xStride, tok, row, got, want)
							}
						}
						if out[tok*outStride+nRows] != 0 {
							t.Fatalf("%s n=%d rows=%d tokens=%d: gap in the output written", k.name, n, nRows, nTok)
						}
					}
				}
			}
		}
		if err := k.gemm(8, make([]byte, 16*k.size), 7, 2, make([]float32, 8), 8, 1, make([]float32, 2), 2); err == nil {
			t.Errorf("%s: weight stride 7 < n=8: no error", k.name)
		}
		if err := k.gemm(8, make([]byte, 16*k.size), 8, 2, make([]float32, 15), 8, 2, make([]float32, 4), 2); err == nil {
			t.Errorf("%s: activations 15 < 2 rows of 8: no error", k.name)
		}
	}
}

// f32s views little-endian F32 bytes as float32 (b's length a multiple of 4).
func f32s(b []byte) []float32 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4)
}
