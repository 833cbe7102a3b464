package quant

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// startup records the table as the package's initialization left it,
// before any test runs: init functions run after every package variable
// (kernelInfo's initializer installs the kernels) and test files' init
// functions after the package's.
var startup struct {
	info           string
	dot, ref       VecDotFunc
	tokens         VecDotTokensFunc
	quantizeQ8K    func([]float32, []byte)
	hasFastQ4K     bool
	hasFastQuantQ8 bool
}

func init() {
	tr := &traits[Q4_K]
	startup.info = KernelInfo()
	startup.dot, startup.ref, startup.tokens = tr.VecDot, tr.RefVecDot, tr.VecDotTokens
	startup.quantizeQ8K = traits[Q8_K].QuantizeAct
	_, startup.hasFastQ4K = lookupFast(Q4_K)
	_, startup.hasFastQuantQ8 = lookupFastQuantizer(Q8_K)
}

// setFastKernels installs the fast kernels (on) or the Go references for
// the rest of the test, then restores what was installed before.
func setFastKernels(t testing.TB, on bool) {
	prev := fastOn
	UseFastKernels(on)
	t.Cleanup(func() { UseFastKernels(prev) })
}

func funcPtr(f any) uintptr { return reflect.ValueOf(f).Pointer() }

// TestKernelsAtStartup: without LIMNX_KERNELS=go the fast kernels are in
// the table from start-up wherever the architecture has them (a kernel
// package that runs here), and KernelInfo says so; with it, the Go
// references are.
func TestKernelsAtStartup(t *testing.T) {
	t.Logf("%s", startup.info)
	if os.Getenv(KernelsEnv) == "go" {
		if funcPtr(startup.dot) != funcPtr(startup.ref) || startup.tokens != nil {
			t.Errorf("%s=go: q4_K VecDot is not RefVecDot at start-up", KernelsEnv)
		}
		if !strings.Contains(startup.info, "Go reference") {
			t.Errorf("%s=go: KernelInfo() = %q", KernelsEnv, startup.info)
		}
		return
	}
	if !startup.hasFastQ4K {
		if funcPtr(startup.dot) != funcPtr(startup.ref) || !strings.Contains(startup.info, "Go reference") {
			t.Errorf("no fast q4_K kernel here, yet VecDot is not RefVecDot or KernelInfo() = %q", startup.info)
		}
		return
	}
	if funcPtr(startup.dot) == funcPtr(startup.ref) || startup.tokens == nil {
		t.Errorf("q4_K: the fast kernels are not installed at start-up (VecDotTokens nil: %v)", startup.tokens == nil)
	}
	if !strings.Contains(startup.info, "fast kernels for") || !strings.Contains(startup.info, "q4_K") {
		t.Errorf("KernelInfo() = %q, want it to name the fast q4_K kernel", startup.info)
	}
	if startup.hasFastQuantQ8 && funcPtr(startup.quantizeQ8K) == funcPtr(actQ8_K) {
		t.Errorf("q8_K: the fast activation quantizer is not installed at start-up")
	}
}

// TestUseFastKernels: UseFastKernels(false) puts every reference back
// and removes the multi-row and multi-token kernels; UseFastKernels(true)
// installs the fast ones again.
func TestUseFastKernels(t *testing.T) {
	setFastKernels(t, false)
	for _, typ := range weightTypes {
		tr, _ := typ.Traits()
		if funcPtr(tr.VecDot) != funcPtr(tr.RefVecDot) || tr.VecDotRows != nil || tr.VecDotTokens != nil || tr.Gemm != nil {
			t.Errorf("%v: UseFastKernels(false) left a fast kernel", typ)
		}
	}
	for _, typ := range []Type{F32, F16, BF16, Q8_0, Q8_1, Q8_K} {
		ref, _ := refActQuant(typ)
		if funcPtr(traits[typ].QuantizeAct) != funcPtr(ref) {
			t.Errorf("%v: UseFastKernels(false) left a fast activation quantizer", typ)
		}
	}
	if info := KernelInfo(); !strings.Contains(info, "Go reference") {
		t.Errorf("after UseFastKernels(false): KernelInfo() = %q", info)
	}
	info := UseFastKernels(true)
	if info != KernelInfo() {
		t.Errorf("UseFastKernels(true) = %q, KernelInfo() = %q", info, KernelInfo())
	}
	n := 0
	for _, typ := range weightTypes {
		tr, _ := typ.Traits()
		if _, ok := lookupFast(typ); ok {
			n++
			if funcPtr(tr.VecDot) == funcPtr(tr.RefVecDot) || tr.VecDotTokens == nil {
				t.Errorf("%v: UseFastKernels(true) did not install the kernel", typ)
			}
			if !strings.Contains(info, tr.Name) {
				t.Errorf("KernelInfo() = %q does not name %s", info, tr.Name)
			}
		}
	}
	t.Logf("%d fast kernels: %s", n, info)
}

// TestFastQuantizers: every activation quantizer installed with the fast
// kernels gives the same bytes as QuantizeActivation (the reference), on
// gaussian values of several scales, zero and one-hot blocks, huge and
// tiny values, and values on rounding ties. (Blocks whose largest
// magnitude is below 127/MaxFloat32 are outside the contract: see
// Traits.QuantizeAct.)
func TestFastQuantizers(t *testing.T) {
	setFastKernels(t, true)
	r := rand.New(rand.NewPCG(61, 62))
	const n = 1024
	inputs := map[string][]float32{
		"gaussian":     gaussian(r, n, 1),
		"gaussian1e3":  gaussian(r, n, 1e3),
		"gaussian1e-6": gaussian(r, n, 1e-6),
		"zero":         make([]float32, n),
	}
	oneHot := make([]float32, n)
	oneHot[37], oneHot[300] = -3, 5
	inputs["one-hot"] = oneHot
	huge, tiny, ties := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range huge {
		huge[i] = float32(r.NormFloat64() * 1e37)
		// Tiny, but 127/amax stays finite (see QuantizeAct).
		tiny[i] = float32(r.NormFloat64() * 1e-35)
		// amax 127 per block, so 127/amax = 1 and x.5 values are ties.
		ties[i] = float32(i%64-32) + 0.5
		if i%32 == 0 {
			ties[i] = 127
		}
	}
	inputs["huge"], inputs["tiny"], inputs["ties"] = huge, tiny, ties
	found := 0
	for _, typ := range []Type{F16, BF16, Q8_0, Q8_1, Q8_K} {
		if _, ok := lookupFastQuantizer(typ); !ok {
			continue
		}
		found++
		fast := traits[typ].QuantizeAct
		ref, _ := refActQuant(typ)
		if funcPtr(fast) == funcPtr(ref) {
			t.Errorf("%v: fast quantizer not installed", typ)
		}
		size := mustRowSize(t, typ, n)
		for name, x := range inputs {
			want := make([]byte, size)
			QuantizeActivation(typ, x, want)
			got := make([]byte, size)
			fast(x, got)
			if !bytes.Equal(got, want) {
				i := 0
				for got[i] == want[i] {
					i++
				}
				t.Errorf("%v %s: first difference at byte %d: %#x, reference %#x", typ, name, i, got[i], want[i])
			}
		}
	}
	t.Logf("%d fast activation quantizers checked", found)
}

// TestMatMatFast: with the fast kernels, MatMat equals per-token MatVec
// for every weight type: bit for bit where it uses VecDotTokens (which
// equals VecDot per token), and within 1e-5 of sum |w*x| where it uses
// Gemm (same products, another summation order). Both are also within
// that tolerance of RefVecDot. Token counts straddle the four-token
// kernels, rows straddle the thread chunks.
func TestMatMatFast(t *testing.T) {
	setFastKernels(t, true)
	r := rand.New(rand.NewPCG(63, 64))
	for _, typ := range weightTypes {
		t.Run(typ.String(), func(t *testing.T) {
			tr, _ := typ.Traits()
			for _, shape := range []struct{ rows, cols, nTok int }{{1, 256, 2}, {37, 512, 5}, {130, 256, 19}} {
				c := newMatmulCase(t, r, typ, shape.rows, shape.cols, shape.nTok)
				for _, threads := range []int{1, 3} {
					m := NewMatMul(threads)
					out := make([]float32, len(c.want))
					m.MatMat(typ, c.w, c.rows, c.cols, c.x, c.nTok, out)
					vec := make([]float32, c.rows)
					for tok := 0; tok < c.nTok; tok++ {
						m.MatVec(typ, c.w, c.rows, c.cols, c.x[tok*c.cols:(tok+1)*c.cols], vec)
						for row, v := range vec {
							i := tok*c.rows + row
							tol := 1e-5 * c.abs[i]
							switch {
							case tr.Gemm == nil && math.Float32bits(out[i]) != math.Float32bits(v):
								t.Fatalf("%dx%d, %d tokens, %d threads: token %d row %d: MatMat %g, MatVec %g (want the same bits)",
									c.rows, c.cols, c.nTok, threads, tok, row, out[i], v)
							case math.Abs(float64(out[i]-v)) > tol:
								t.Fatalf("%dx%d, %d tokens, %d threads: token %d row %d: MatMat %g, MatVec %g (tolerance %g)",
									c.rows, c.cols, c.nTok, threads, tok, row, out[i], v, tol)
							case math.Abs(float64(v-c.want[i])) > tol:
								t.Fatalf("%dx%d, %d tokens, %d threads: token %d row %d: MatVec %g, RefVecDot %g (tolerance %g)",
									c.rows, c.cols, c.nTok, threads, tok, row, v, c.want[i], tol)
							}
						}
					}
					m.Close()
				}
			}
		})
	}
}
