package amd64_test

import (
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/amd64"
)

// TestQuantUseFastKernels checks that ggml/quant installs the kernels at
// start-up (VecDot is the kernel's Dot, KernelInfo names them), that
// MatVec and MatMat then use them (results within 1e-5 of sum |w*a| of
// RefVecDot, and not all bit-identical, since the float order differs;
// MatVec equal to MatMat's first token except where MatMat uses Gemm),
// that MatVec does not allocate, and that UseFastKernels(false) restores
// the references bit for bit and UseFastKernels(true) the kernels.
func TestQuantUseFastKernels(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	if os.Getenv(quant.KernelsEnv) == "go" {
		t.Skip(quant.KernelsEnv + "=go: " + quant.KernelInfo())
	}
	desc := quant.KernelInfo()
	if !strings.Contains(desc, "q4_K") || !strings.Contains(desc, "avx2") {
		t.Errorf("description %q does not name q4_K and avx2", desc)
	}
	for _, k := range amd64.Kernels() {
		tr, _ := quant.Type(k.Type).Traits()
		if reflect.ValueOf(tr.VecDot).Pointer() != reflect.ValueOf(k.Dot).Pointer() {
			t.Errorf("%s: quant's VecDot is not the kernel at start-up", k.Name)
		}
	}
	r := rand.New(rand.NewPCG(21, 22))
	const rows, cols, nTok = 37, 512, 3
	m := quant.NewMatMul(2)
	defer m.Close()
	anyDiff := false
	for _, k := range amd64.Kernels() {
		typ := quant.Type(k.Type)
		tr, _ := typ.Traits()
		rowBytes, _ := quant.RowSize(typ, cols)
		actBytes, _ := quant.RowSize(tr.VecDotType, cols)
		x := make([]float32, rows*cols)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		w := make([]byte, rows*rowBytes)
		if err := quant.Quantize(typ, x, w); err != nil {
			t.Fatal(err)
		}
		toks := make([]float32, nTok*cols)
		for i := range toks {
			toks[i] = float32(r.NormFloat64())
		}
		out := make([]float32, nTok*rows)
		m.MatMat(typ, w, rows, cols, toks, nTok, out)
		vec := make([]float32, rows)
		m.MatVec(typ, w, rows, cols, toks[:cols], vec)
		act := make([]byte, actBytes)
		wf := make([]float32, cols)
		af := make([]float32, cols)
		for tok := 0; tok < nTok; tok++ {
			quant.QuantizeActivation(tr.VecDotType, toks[tok*cols:(tok+1)*cols], act)
			if err := quant.Dequantize(tr.VecDotType, act, af); err != nil {
				t.Fatal(err)
			}
			for row := 0; row < rows; row++ {
				wr := w[row*rowBytes : (row+1)*rowBytes]
				want := tr.RefVecDot(cols, wr, act)
				if err := quant.Dequantize(typ, wr, wf); err != nil {
					t.Fatal(err)
				}
				var abs float64
				for i := range wf {
					abs += math.Abs(float64(wf[i]) * float64(af[i]))
				}
				got := out[tok*rows+row]
				if math.Abs(float64(got-want)) > 1e-5*abs {
					t.Errorf("%s MatMat token %d row %d: %g, reference %g", k.Name, tok, row, got, want)
				}
				if got != want {
					anyDiff = true
				}
				if tok == 0 && k.Gemm == nil && vec[row] != got {
					t.Errorf("%s MatVec row %d: %g, MatMat gave %g (same kernel, must be equal)", k.Name, row, vec[row], got)
				}
			}
		}
		if a := testing.AllocsPerRun(20, func() { m.MatVec(typ, w, rows, cols, toks[:cols], vec) }); a != 0 {
			t.Errorf("%s MatVec: %g allocations per call", k.Name, a)
		}
	}
	if !anyDiff {
		t.Errorf("every result equals RefVecDot bit for bit: the fast kernels seem not installed")
	}
	off := quant.UseFastKernels(false)
	defer quant.UseFastKernels(true)
	if !strings.Contains(off, "Go reference") {
		t.Errorf("UseFastKernels(false) = %q", off)
	}
	typ := quant.Q4_K
	tr, _ := typ.Traits()
	if tr.VecDotRows != nil {
		t.Errorf("UseFastKernels(false) left a VecDotRows kernel")
	}
	w := make([]byte, 144)
	act := make([]byte, 292)
	fillQ4_K(r, w, modeRandom)
	fillQ8_K(r, act, modeRandom)
	if got, want := tr.VecDot(256, w, act), tr.RefVecDot(256, w, act); math.Float32bits(got) != math.Float32bits(want) {
		t.Errorf("after UseFastKernels(false): VecDot %g, RefVecDot %g", got, want)
	}
	if on := quant.UseFastKernels(true); on != desc || tr.VecDotRows == nil || tr.VecDotTokens == nil {
		t.Errorf("UseFastKernels(true) = %q (start-up: %q), VecDotRows or VecDotTokens nil", on, desc)
	}
}
