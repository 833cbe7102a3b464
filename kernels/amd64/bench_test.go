package amd64_test

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/amd64"
)

// Benchmark sizes: "l2" keeps the weight matrix in L2 (compute-bound),
// "mem" streams a matrix far larger than L3 from memory, as decode does.
const (
	benchCols     = 4096
	benchL2Bytes  = 256 << 10
	benchMemBytes = 128 << 20
)

// benchMatrix returns a weight matrix of about nBytes in type t (rows of
// benchCols elements, made by tiling properly quantized rows), the row
// size in bytes, and a quantized activation vector.
func benchMatrix(b *testing.B, t quant.Type, nBytes int) (w []byte, rowBytes, rows int, act []byte) {
	return benchMatrixCols(b, t, nBytes, benchCols)
}

func benchMatrixCols(b *testing.B, t quant.Type, nBytes, benchCols int) (w []byte, rowBytes, rows int, act []byte) {
	tr, _ := t.Traits()
	r := rand.New(rand.NewPCG(5, 6))
	rowBytes, err := quant.RowSize(t, benchCols)
	if err != nil {
		b.Fatal(err)
	}
	rows = max(1, nBytes/rowBytes)
	const tileRows = 16
	x := make([]float32, tileRows*benchCols)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	tile := make([]byte, tileRows*rowBytes)
	if err := quant.Quantize(t, x, tile); err != nil {
		b.Fatal(err)
	}
	w = make([]byte, rows*rowBytes)
	for off := 0; off < len(w); off += len(tile) {
		copy(w[off:], tile)
	}
	aBytes, _ := quant.RowSize(tr.VecDotType, benchCols)
	act = make([]byte, aBytes)
	quant.QuantizeActivation(tr.VecDotType, x[:benchCols], act)
	return w, rowBytes, rows, act
}

// benchDot times one matrix-vector product per iteration (every row dotted
// with one activation vector, through DotRows as quant's MatVec does),
// with SetBytes = weight bytes, so the reported MB/s is weights streamed;
// it also reports GFLOP/s (2 per weight). Sub-benchmarks: l2 and mem
// (4096-wide rows), l2-1024 (1024-wide rows, as in a 0.6B model),
// l1-1024 (16 KiB of them, in L1: the steadiest measure of compute),
// mem-1024-chunks (1024-wide rows from memory in calls of 256 rows, as
// a 0.6B model's decode gives them to one thread), and
// goref-l2 (quant's RefVecDot per row), mem-2threads (the rows split
// between two goroutines, for the bandwidth two cores reach); l2-avx2only repeats l2 without
// the VNNI forms where the CPU has them.
func benchDot(b *testing.B, t quant.Type) {
	k, ok := amd64.Lookup(uint32(t))
	if !ok {
		b.Skip("no kernel for " + t.String())
	}
	tr, _ := t.Traits()
	refRows := func(n int, w, act []byte, out []float32) {
		rb := len(w) / len(out)
		for i := range out {
			out[i] = tr.RefVecDot(n, w[i*rb:(i+1)*rb], act)
		}
	}
	run := func(name string, nBytes, cols int, rowsFn amd64.DotRowsFunc) {
		b.Run(name, func(b *testing.B) {
			w, _, rows, act := benchMatrixCols(b, t, nBytes, cols)
			if strings.HasSuffix(name, "-thp") {
				hw, free := hugeCopy(w)
				if hw == nil {
					b.Skip("no anonymous mapping for huge pages")
				}
				defer free()
				w = hw
			}
			out := make([]float32, rows)
			b.SetBytes(int64(len(w)))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := threadCPU()
			for b.Loop() {
				rowsFn(cols, w, act, out)
			}
			if name != "mem-2threads" {
				reportCPU(b, cpu0, float64(len(w)))
			}
			b.ReportMetric(2*float64(rows*cols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
	run("l2", benchL2Bytes, benchCols, k.DotRows)
	if amd64.HasVNNI() {
		old := amd64.SetVNNI(false)
		run("l2-avx2only", benchL2Bytes, benchCols, k.DotRows)
		amd64.SetVNNI(old)
	}
	run("l2-1024", benchL2Bytes, 1024, k.DotRows)
	run("l1-1024", 16<<10, 1024, k.DotRows)
	run("mem", benchMemBytes, benchCols, k.DotRows)
	run("mem-1024-chunks", benchMemBytes, 1024, inChunks(k.DotRows, 256))
	run("mem-1024-one", benchMemBytes, 1024, k.DotRows)
	run("mem-1024-chunks-thp", benchMemBytes, 1024, inChunks(k.DotRows, 256))
	run("mem-2threads", benchMemBytes, benchCols, twoThreads(k.DotRows))
	run("goref-l2", benchL2Bytes, benchCols, refRows)
}

func BenchmarkDotF32(b *testing.B)  { benchDot(b, quant.F32) }
func BenchmarkDotF16(b *testing.B)  { benchDot(b, quant.F16) }
func BenchmarkDotBF16(b *testing.B) { benchDot(b, quant.BF16) }
func BenchmarkDotQ4_0(b *testing.B) { benchDot(b, quant.Q4_0) }
func BenchmarkDotQ4_1(b *testing.B) { benchDot(b, quant.Q4_1) }
func BenchmarkDotQ5_0(b *testing.B) { benchDot(b, quant.Q5_0) }
func BenchmarkDotQ5_1(b *testing.B) { benchDot(b, quant.Q5_1) }
func BenchmarkDotQ8_0(b *testing.B) { benchDot(b, quant.Q8_0) }
func BenchmarkDotQ2_K(b *testing.B) { benchDot(b, quant.Q2_K) }
func BenchmarkDotQ3_K(b *testing.B) { benchDot(b, quant.Q3_K) }
func BenchmarkDotQ4_K(b *testing.B) { benchDot(b, quant.Q4_K) }
func BenchmarkDotQ5_K(b *testing.B) { benchDot(b, quant.Q5_K) }
func BenchmarkDotQ6_K(b *testing.B) { benchDot(b, quant.Q6_K) }

// BenchmarkMemcpy measures copy bandwidth on the "mem" size for
// comparison: MB/s counts bytes copied (each is read once and written once).
func BenchmarkMemcpy(b *testing.B) {
	src := make([]byte, benchMemBytes)
	dst := make([]byte, benchMemBytes)
	for i := range src {
		src[i] = byte(i)
	}
	copy(dst, src)
	b.SetBytes(benchMemBytes)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	cpu0 := threadCPU()
	for b.Loop() {
		copy(dst, src)
	}
	reportCPU(b, cpu0, benchMemBytes)
}

// benchQuantize times activation quantization of one 4096-value vector.
func benchQuantize(b *testing.B, t quant.Type, fast bool) {
	q, ok := amd64.LookupQuantizer(uint32(t))
	if !ok {
		b.Skip("no quantizer for " + t.String())
	}
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, benchCols)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	size, _ := quant.RowSize(t, benchCols)
	dst := make([]byte, size)
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		if fast {
			q.Quantize(x, dst)
		} else {
			quant.QuantizeActivation(t, x, dst)
		}
	}
}

func BenchmarkQuantizeQ8_0(b *testing.B)      { benchQuantize(b, quant.Q8_0, true) }
func BenchmarkQuantizeQ8_0GoRef(b *testing.B) { benchQuantize(b, quant.Q8_0, false) }
func BenchmarkQuantizeQ8_K(b *testing.B)      { benchQuantize(b, quant.Q8_K, true) }
func BenchmarkQuantizeQ8_KGoRef(b *testing.B) { benchQuantize(b, quant.Q8_K, false) }

// benchTokens times one weight matrix (L2-sized) against 8 tokens per
// iteration, with DotTokens ("tokens") and with Dot per token ("loop"),
// reporting GFLOP/s; SetBytes counts the weight bytes once per iteration.
func benchTokens(b *testing.B, t quant.Type) {
	k, ok := amd64.Lookup(uint32(t))
	if !ok {
		b.Skip("no kernel for " + t.String())
	}
	const nTok = 8
	for _, mode := range []string{"tokens", "tokens-avx2only", "loop"} {
		if mode == "tokens-avx2only" && !amd64.HasVNNI() {
			continue
		}
		b.Run(mode, func(b *testing.B) {
			if mode == "tokens-avx2only" {
				defer amd64.SetVNNI(amd64.SetVNNI(false))
			}
			w, rowBytes, rows, act1 := benchMatrix(b, t, benchL2Bytes)
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
				for r := 0; r < rows; r++ {
					row := w[r*rowBytes : (r+1)*rowBytes]
					if mode != "loop" {
						k.DotTokens(benchCols, row, act, len(act1), nTok, out[r:], rows)
						continue
					}
					for tok := 0; tok < nTok; tok++ {
						out[tok*rows+r] = k.Dot(benchCols, row, act[tok*len(act1):])
					}
				}
			}
			if cpu := threadCPU() - cpu0; cpu0 != 0 && cpu > 0 {
				b.ReportMetric(2*float64(nTok*rows*benchCols)*float64(b.N)/cpu.Seconds()/1e9, "cpuGFLOP/s")
			}
			b.ReportMetric(2*float64(nTok*rows*benchCols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func BenchmarkDotTokensQ8_0(b *testing.B)     { benchTokens(b, quant.Q8_0) }
func BenchmarkDotTokensQ4_K(b *testing.B)     { benchTokens(b, quant.Q4_K) }
func BenchmarkDotTokensQ6_K(b *testing.B)     { benchTokens(b, quant.Q6_K) }
func BenchmarkDotTokensF16(b *testing.B)      { benchTokens(b, quant.F16) }
func BenchmarkQuantizeQ8_1(b *testing.B)      { benchQuantize(b, quant.Q8_1, true) }
func BenchmarkQuantizeQ8_1GoRef(b *testing.B) { benchQuantize(b, quant.Q8_1, false) }
func BenchmarkQuantizeF16(b *testing.B)       { benchQuantize(b, quant.F16, true) }
func BenchmarkQuantizeF16GoRef(b *testing.B)  { benchQuantize(b, quant.F16, false) }
func BenchmarkQuantizeBF16(b *testing.B)      { benchQuantize(b, quant.BF16, true) }
func BenchmarkQuantizeBF16GoRef(b *testing.B) { benchQuantize(b, quant.BF16, false) }

// reportCPU reports "cpuGB/s": bytes per iteration over the thread CPU
// time since cpu0 (see threadCPU), the speed a kernel has when it is not
// waiting for a shared core.
func reportCPU(b *testing.B, cpu0 time.Duration, bytes float64) {
	if cpu := threadCPU() - cpu0; cpu0 != 0 && cpu > 0 {
		b.ReportMetric(bytes*float64(b.N)/cpu.Seconds()/1e9, "cpuGB/s")
	}
}

// benchGemm times a float weight matrix (L2-sized, 4096 wide) against 16
// tokens per iteration with Gemm (float32 activations, 2x4 tiles) and, for
// comparison, with Dot per row and token on activations in the weight
// type ("dot"); GFLOP/s and cpuGFLOP/s as in benchTokens.
func benchGemm(b *testing.B, t quant.Type) {
	k, ok := amd64.Lookup(uint32(t))
	if !ok || k.Gemm == nil {
		b.Skip("no Gemm for " + t.String())
	}
	tr, _ := t.Traits()
	const nTok = 16
	for _, mode := range []string{"gemm", "dot"} {
		b.Run(mode, func(b *testing.B) {
			w, rowBytes, rows, _ := benchMatrix(b, t, benchL2Bytes)
			r := rand.New(rand.NewPCG(7, 7))
			x := make([]float32, nTok*benchCols)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			aBytes, _ := quant.RowSize(tr.VecDotType, benchCols)
			act := make([]byte, nTok*aBytes)
			for tok := 0; tok < nTok; tok++ {
				quant.QuantizeActivation(tr.VecDotType, x[tok*benchCols:(tok+1)*benchCols], act[tok*aBytes:])
			}
			out := make([]float32, nTok*rows)
			b.SetBytes(int64(len(w)))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := threadCPU()
			for b.Loop() {
				if mode == "gemm" {
					if err := k.Gemm(benchCols, w, rows, x, nTok, out, rows); err != nil {
						b.Fatal(err)
					}
					continue
				}
				for row := 0; row < rows; row++ {
					for tok := 0; tok < nTok; tok++ {
						out[tok*rows+row] = k.Dot(benchCols, w[row*rowBytes:(row+1)*rowBytes], act[tok*aBytes:])
					}
				}
			}
			flops := 2 * float64(nTok*rows*benchCols) * float64(b.N)
			if cpu := threadCPU() - cpu0; cpu0 != 0 && cpu > 0 {
				b.ReportMetric(flops/cpu.Seconds()/1e9, "cpuGFLOP/s")
			}
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func BenchmarkGemmF16(b *testing.B)  { benchGemm(b, quant.F16) }
func BenchmarkGemmF32(b *testing.B)  { benchGemm(b, quant.F32) }
func BenchmarkGemmBF16(b *testing.B) { benchGemm(b, quant.BF16) }

// inChunks calls rows on chunks of at most chunk rows, as quant's MatVec
// gives them to a thread (each chunk a separate call, so that streams
// restart as they do there).
func inChunks(rows amd64.DotRowsFunc, chunk int) amd64.DotRowsFunc {
	return func(n int, w, act []byte, out []float32) {
		rb := len(w) / max(1, len(out))
		for r0 := 0; r0 < len(out); r0 += chunk {
			r1 := min(r0+chunk, len(out))
			rows(n, w[r0*rb:r1*rb], act, out[r0:r1])
		}
	}
}

// twoThreads splits a DotRowsFunc's rows between the caller and one more
// goroutine (wall-time figures only: the CPU time is the caller's).
func twoThreads(rows amd64.DotRowsFunc) amd64.DotRowsFunc {
	return func(n int, w, act []byte, out []float32) {
		half := len(out) / 2
		rb := len(w) / max(1, len(out))
		done := make(chan struct{})
		go func() {
			rows(n, w[half*rb:], act, out[half:])
			close(done)
		}()
		rows(n, w[:half*rb], act, out[:half])
		<-done
	}
}
