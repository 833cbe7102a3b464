package quant

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// matmulCase is a weight matrix and tokens with their expected products,
// computed one row at a time with RefVecDot, and for each product the sum
// of |w*a| over the dequantized operands (the scale of float rounding).
type matmulCase struct {
	typ        Type
	rows, cols int
	nTok       int
	w          []byte
	x          []float32
	want       []float32
	abs        []float64
}

func newMatmulCase(t testing.TB, r *rand.Rand, typ Type, rows, cols, nTok int) matmulCase {
	tr, _ := typ.Traits()
	rowBytes := mustRowSize(t, typ, cols)
	c := matmulCase{typ: typ, rows: rows, cols: cols, nTok: nTok, w: make([]byte, rows*rowBytes)}
	if err := Quantize(typ, gaussian(r, rows*cols, 0.02), c.w); err != nil {
		t.Fatal(err)
	}
	c.x = gaussian(r, nTok*cols, 1)
	actBytes := mustRowSize(t, tr.VecDotType, cols)
	act := make([]byte, actBytes)
	af := make([]float32, cols)
	wf := make([]float32, cols)
	c.want = make([]float32, nTok*rows)
	c.abs = make([]float64, nTok*rows)
	for tok := 0; tok < nTok; tok++ {
		QuantizeActivation(tr.VecDotType, c.x[tok*cols:(tok+1)*cols], act)
		traits[tr.VecDotType].ToFloat(act, af)
		for row := 0; row < rows; row++ {
			wr := c.w[row*rowBytes : (row+1)*rowBytes]
			c.want[tok*rows+row] = tr.RefVecDot(cols, wr, act)
			tr.ToFloat(wr, wf)
			for i := range wf {
				c.abs[tok*rows+row] += math.Abs(float64(wf[i]) * float64(af[i]))
			}
		}
	}
	return c
}

// TestMatMul: on the Go path, MatVec and MatMat equal RefVecDot row by
// row, bit for bit, for every weight type, several thread counts and
// awkward row counts. (TestMatMatFast covers the fast kernels.)
func TestMatMul(t *testing.T) {
	setFastKernels(t, false)
	r := rand.New(rand.NewPCG(9, 10))
	for _, typ := range weightTypes {
		t.Run(typ.String(), func(t *testing.T) {
			for _, shape := range []struct{ rows, cols, nTok int }{{1, 256, 1}, {37, 512, 1}, {37, 512, 3}, {130, 256, 19}} {
				c := newMatmulCase(t, r, typ, shape.rows, shape.cols, shape.nTok)
				for _, threads := range []int{1, 2, 3, 8} {
					m := NewMatMul(threads)
					out := make([]float32, len(c.want))
					for i := range out {
						out[i] = -1e30 // must be overwritten
					}
					if c.nTok == 1 {
						m.MatVec(c.typ, c.w, c.rows, c.cols, c.x, out)
					} else {
						m.MatMat(c.typ, c.w, c.rows, c.cols, c.x, c.nTok, out)
					}
					for i := range out {
						if out[i] != c.want[i] {
							t.Fatalf("%dx%d, %d tokens, %d threads: out[%d] = %g, want %g", c.rows, c.cols, c.nTok, threads, i, out[i], c.want[i])
						}
					}
					// After Close, a call starts the workers again.
					m.Close()
					clear(out)
					m.MatMat(c.typ, c.w, c.rows, c.cols, c.x, c.nTok, out)
					m.Close()
					if out[len(out)-1] != c.want[len(out)-1] {
						t.Fatalf("after Close: last output %g, want %g", out[len(out)-1], c.want[len(out)-1])
					}
				}
			}
		})
	}
}

// TestMatMulKernelSwap: a kernel installed with SetVecDot / SetVecDotRows
// is what MatMul calls (SetVecDot drops the type's multi-token kernels),
// and nil restores the reference; the kernels installed before are put
// back afterwards.
func TestMatMulKernelSwap(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	c := newMatmulCase(t, r, Q4_0, 16, 256, 2)
	m := NewMatMul(2)
	defer m.Close()
	tr, _ := Q4_0.Traits()
	setFastKernels(t, fastOn) // put the kernels back afterwards
	var calls atomic.Int32
	if err := SetVecDot(Q4_0, func(n int, w, act []byte) float32 { calls.Add(1); return 7 }); err != nil {
		t.Fatal(err)
	}
	out := make([]float32, 2*16)
	m.MatMat(Q4_0, c.w, 16, 256, c.x, 2, out)
	if err := SetVecDot(Q4_0, nil); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 32 || out[5] != 7 {
		t.Errorf("swapped kernel: %d calls, out[5] = %g", calls.Load(), out[5])
	}
	act := make([]byte, 8*34)
	QuantizeActivation(Q8_0, c.x[:256], act)
	if got, want := tr.VecDot(256, c.w[:144], act), tr.RefVecDot(256, c.w[:144], act); got != want {
		t.Errorf("SetVecDot(nil): VecDot %g, RefVecDot %g", got, want)
	}
	if err := SetVecDotRows(Q4_0, func(n int, w, act []byte, out []float32) {
		for i := range out {
			out[i] = float32(len(out))
		}
	}); err != nil {
		t.Fatal(err)
	}
	m.MatVec(Q4_0, c.w, 16, 256, c.x[:256], out[:16])
	if out[0] < 1 || out[0] > 16 {
		t.Errorf("rows kernel not used: out[0] = %g", out[0])
	}
	SetVecDot(Q4_0, nil)
	m.MatMat(Q4_0, c.w, 16, 256, c.x, 2, out)
	for i := range out {
		if out[i] != c.want[i] {
			t.Fatalf("after restore: out[%d] = %g, want %g", i, out[i], c.want[i])
		}
	}
}

// TestMatMulNoAlloc: after a warm-up call, MatVec and MatMat allocate
// nothing, on the Go path and with the fast kernels (Gemm for F16 and
// BF16, VecDotTokens for the block formats).
func TestMatMulNoAlloc(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, fast := range []bool{false, true} {
		setFastKernels(t, fast)
		for _, typ := range []Type{Q4_K, Q6_K, Q8_0, F16, BF16, F32} {
			c := newMatmulCase(t, r, typ, 64, 512, 9)
			m := NewMatMul(2)
			out := make([]float32, len(c.want))
			m.MatMat(c.typ, c.w, c.rows, c.cols, c.x, c.nTok, out)
			if a := testing.AllocsPerRun(50, func() { m.MatVec(c.typ, c.w, c.rows, c.cols, c.x[:c.cols], out[:c.rows]) }); a != 0 {
				t.Errorf("%v (fast %v) MatVec: %g allocations per call", typ, fast, a)
			}
			if a := testing.AllocsPerRun(20, func() { m.MatMat(c.typ, c.w, c.rows, c.cols, c.x, c.nTok, out) }); a != 0 {
				t.Errorf("%v (fast %v) MatMat: %g allocations per call", typ, fast, a)
			}
			m.Close()
		}
	}
}

func TestMatMulCheck(t *testing.T) {
	w := make([]byte, 4*144)
	x := make([]float32, 256)
	out := make([]float32, 4)
	tests := []struct {
		name string
		typ  Type
		w    []byte
		rows int
		cols int
		x    []float32
		out  []float32
		want string // "" for valid
	}{
		{"ok", Q4_K, w, 4, 256, x, out, ""},
		{"unsupported", IQ2_XXS, w, 4, 256, x, out, "not a supported weight type"},
		{"activation type", Q8_K, w, 4, 256, x, out, "not a supported weight type"},
		{"cols not a block multiple", Q4_K, w, 4, 250, x[:250], out, "block size"},
		{"short weights", Q4_K, w[:500], 4, 256, x, out, "weights have 500 bytes"},
		{"short x", Q4_K, w, 4, 256, x[:255], out, "255 activations"},
		{"short out", Q4_K, w, 4, 256, x, out[:3], "output has 3"},
		{"negative rows", Q4_K, w, -1, 256, x, out, "negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.typ, tc.w, tc.rows, tc.cols, tc.x, 1, tc.out)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check = %v, want an error containing %q", err, tc.want)
			}
			defer func() {
				if p := recover(); p == nil {
					t.Error("MatVec did not panic")
				}
			}()
			var m MatMul
			defer m.Close()
			m.MatVec(tc.typ, tc.w, tc.rows, tc.cols, tc.x, tc.out)
		})
	}
}

// benchKernels runs f as two sub-benchmarks, kernels=go (the Go
// references) and kernels=fast (the start-up choice), then restores the
// fast kernels.
func benchKernels(b *testing.B, f func(b *testing.B)) {
	for _, fast := range []bool{false, true} {
		name := "kernels=go"
		if fast {
			name = "kernels=fast"
		}
		UseFastKernels(fast)
		b.Run(name, f)
	}
	UseFastKernels(true)
}

// benchTypes are the weight types of the benchmark models (Q4_K_M mixes
// Q4_K and Q6_K; Q8_0; F16).
var benchTypes = []Type{Q4_K, Q8_0, F16}

// BenchmarkMatVec times a 2048x2048 MatVec (one decoded token through a
// Llama-3.2-1B-sized projection) for each kernel set, weight type and 1
// or 2 threads. SetBytes counts the weights, so MB/s is the weight
// stream; with 1 thread it also reports the calling thread's CPU time
// (cpu-ns/op), which a loaded host does not inflate.
func BenchmarkMatVec(b *testing.B) {
	const rows, cols = 2048, 2048
	benchKernels(b, func(b *testing.B) {
		for _, typ := range benchTypes {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%v/threads=%d", typ, threads), func(b *testing.B) {
					r := rand.New(rand.NewPCG(15, 16))
					w := make([]byte, rows*mustRowSize(b, typ, cols))
					Quantize(typ, gaussian(r, rows*cols, 0.02), w)
					x := gaussian(r, cols, 1)
					out := make([]float32, rows)
					m := NewMatMul(threads)
					defer m.Close()
					b.SetBytes(int64(len(w)))
					b.ReportAllocs()
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					start := threadCPU()
					for b.Loop() {
						m.MatVec(typ, w, rows, cols, x, out)
					}
					if threads == 1 { // all the work is on this thread
						b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
					}
				})
			}
		}
	})
}

// BenchmarkMatMat times a 2048x2048 MatMat over 64 tokens (a slice of
// prompt processing) for each kernel set, weight type and 1 or 2
// threads, reporting GFLOP/s (2*rows*cols*tokens per call) and, with 1
// thread, GFLOP/s of the calling thread's CPU time (cpu-GFLOP/s).
func BenchmarkMatMat(b *testing.B) {
	const rows, cols, nTok = 2048, 2048, 64
	benchKernels(b, func(b *testing.B) {
		for _, typ := range benchTypes {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%v/threads=%d", typ, threads), func(b *testing.B) {
					r := rand.New(rand.NewPCG(17, 18))
					w := make([]byte, rows*mustRowSize(b, typ, cols))
					Quantize(typ, gaussian(r, rows*cols, 0.02), w)
					x := gaussian(r, nTok*cols, 1)
					out := make([]float32, nTok*rows)
					m := NewMatMul(threads)
					defer m.Close()
					b.ReportAllocs()
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					start := threadCPU()
					for b.Loop() {
						m.MatMat(typ, w, rows, cols, x, nTok, out)
					}
					flops := 2.0 * rows * cols * nTok * float64(b.N)
					b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					if threads == 1 {
						b.ReportMetric(flops/float64(threadCPU()-start), "cpu-GFLOP/s")
					}
				})
			}
		}
	})
}

// TestParallel: Parallel runs every index exactly once, on several
// goroutines when there are several threads, for any n (0 included),
// interleaved with matmuls on the same MatMul, without allocating.
func TestParallel(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	c := newMatmulCase(t, r, Q4_K, 8, 256, 1)
	for _, threads := range []int{1, 2, 3} {
		m := NewMatMul(threads)
		for _, n := range []int{0, 1, 2, 7, 100} {
			counts := make([]atomic.Int32, n)
			m.Parallel(n, func(i int) { counts[i].Add(1) })
			for i := range counts {
				if got := counts[i].Load(); got != 1 {
					t.Fatalf("%d threads, n=%d: task %d ran %d times", threads, n, i, got)
				}
			}
			out := make([]float32, c.rows)
			m.MatVec(c.typ, c.w, c.rows, c.cols, c.x, out)
			if math.Abs(float64(out[3]-c.want[3])) > 1e-5*c.abs[3] {
				t.Fatalf("MatVec after Parallel: %g, want %g", out[3], c.want[3])
			}
		}
		if threads >= 2 {
			// Two tasks that each wait for the other: they finish only if
			// they run at the same time.
			var started atomic.Int32
			met := make([]bool, 2)
			m.Parallel(2, func(i int) {
				started.Add(1)
				deadline := time.Now().Add(10 * time.Second)
				for started.Load() < 2 && time.Now().Before(deadline) {
					runtime.Gosched()
				}
				met[i] = started.Load() == 2
			})
			if !met[0] || !met[1] {
				t.Errorf("%d threads: the two tasks did not run concurrently", threads)
			}
		}
		var sum atomic.Int64
		task := func(i int) { sum.Add(int64(i)) }
		if a := testing.AllocsPerRun(20, func() { m.Parallel(64, task) }); a != 0 {
			t.Errorf("%d threads: Parallel: %g allocations per call", threads, a)
		}
		if got, want := sum.Load(), int64(21*64*63/2); got != want {
			t.Errorf("%d threads: sum of indices over 21 calls = %d, want %d", threads, got, want)
		}
		m.Close()
	}
}

// TestMatMatN: one MatMatN call over matrices of different types (two
// sharing the Q8_K activations, one F16 with its own, one of zero rows)
// gives each the products a MatMat call gives it, bit for bit, on the Go
// path and with the fast kernels, for one token and several, with and
// without workers; it does not allocate once warm.
func TestMatMatN(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, fast := range []bool{false, true} {
		setFastKernels(t, fast)
		for _, nTok := range []int{1, 7} {
			cases := []matmulCase{
				newMatmulCase(t, r, Q4_K, 70, 512, nTok),
				newMatmulCase(t, r, Q6_K, 33, 512, nTok),
				newMatmulCase(t, r, F16, 18, 512, nTok),
			}
			x := cases[0].x // every case gets the first case's tokens
			for _, threads := range []int{1, 2, 5} {
				m := NewMatMul(threads)
				var ps []Product
				var want [][]float32
				for _, c := range cases {
					w := make([]float32, nTok*c.rows)
					m.MatMat(c.typ, c.w, c.rows, c.cols, x, nTok, w)
					want = append(want, w)
					ps = append(ps, Product{Type: c.typ, W: c.w, Rows: c.rows, Cols: c.cols, Out: make([]float32, nTok*c.rows)})
				}
				ps = append(ps, Product{Type: Q8_0, Rows: 0, Cols: 512})
				m.MatMatN(x, nTok, ps...)
				for i, c := range cases {
					for k, v := range ps[i].Out {
						if math.Float32bits(v) != math.Float32bits(want[i][k]) {
							t.Fatalf("fast %v, %d tokens, %d threads: %v out[%d] = %g, MatMat gives %g", fast, nTok, threads, c.typ, k, v, want[i][k])
						}
					}
				}
				if a := testing.AllocsPerRun(20, func() { m.MatMatN(x, nTok, ps...) }); a != 0 {
					t.Errorf("fast %v, %d tokens, %d threads: %g allocations per MatMatN", fast, nTok, threads, a)
				}
				m.Close()
			}
		}
	}
}

// TestMatMatNArgs: MatMatN panics with a message for no products, too
// many, or a product whose shape does not fit x.
func TestMatMatNArgs(t *testing.T) {
	m := NewMatMul(2)
	defer m.Close()
	x := make([]float32, 256)
	ok := Product{Type: Q8_0, W: make([]byte, 2*34*8), Rows: 2, Cols: 256, Out: make([]float32, 2)}
	bad := ok
	bad.Out = bad.Out[:1]
	for _, tc := range []struct {
		name string
		ps   []Product
		want string
	}{
		{"none", nil, "0 products"},
		{"five", []Product{ok, ok, ok, ok, ok}, "5 products"},
		{"bad shape", []Product{ok, bad}, "output has 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tc.want) {
					t.Fatalf("panic %q, want one containing %q", msg, tc.want)
				}
			}()
			m.MatMatN(x, 1, tc.ps...)
		})
	}
	m.MatMatN(x, 1, ok, ok) // still usable after the panics
}

// TestParallelManyTasks: more tasks than one generation of the pool holds
// (maxWordChunks) still run each exactly once, with spinning workers (2)
// and sleeping ones (5 on fewer CPUs).
func TestParallelManyTasks(t *testing.T) {
	n := maxWordChunks + 1000
	for _, threads := range []int{2, 5} {
		m := NewMatMul(threads)
		calls := make([]atomic.Int32, n)
		m.Parallel(n, func(i int) { calls[i].Add(1) })
		m.Close()
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Fatalf("%d threads: task %d ran %d times", threads, i, c)
			}
		}
	}
}

// TestMatMulDroppedStopsWorkers: the workers of a MatMul that is dropped
// without Close exit once the garbage collector has found it.
func TestMatMulDroppedStopsWorkers(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		m := NewMatMul(4)
		m.Parallel(8, func(int) {})
		if n := runtime.NumGoroutine(); n < base+3 {
			t.Fatalf("%d goroutines with a 4-thread MatMul running, want at least %d", n, base+3)
		}
	}()
	// The cleanup runs on the runtime's cleanup goroutine some time after
	// a collection: give it up to 20 s on a loaded machine.
	for deadline := time.Now().Add(20 * time.Second); runtime.NumGoroutine() > base && time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Fatalf("%d goroutines after the MatMul was dropped, want %d", n, base)
	}
}
