package arm64_test

import (
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/arm64"
)

// sameBits lists the kernels whose float operations follow ggml's generic
// order block by block, so their results equal quant.RefVecDot bit for bit.
var sameBits = map[string]bool{"q8_0": true, "q4_0": true, "q4_1": true, "q5_0": true, "q5_1": true, "q2_K": true}

// TestDotQuantOracle compares every kernel with ggml/quant's RefVecDot, the
// project's plain-Go oracle, on weights quantized from random floats by
// quant.Quantize and activations quantized as ggml's CPU backend does
// (quant.QuantizeActivation), and on the random raw blocks of TestDot.
func TestDotQuantOracle(t *testing.T) {
	for _, kk := range arm64.Kernels() {
		typ := quant.Type(kk.Type)
		tr, ok := typ.Traits()
		if !ok || tr.RefVecDot == nil {
			t.Errorf("%s: no quant reference", kk.Name)
			continue
		}
		if uint32(tr.VecDotType) != kk.ActType {
			t.Errorf("%s: activation type %d, quant says %v", kk.Name, kk.ActType, tr.VecDotType)
		}
		var k kernel
		for _, c := range kernels {
			if strings.EqualFold(c.name, kk.Name) && c.wSize == tr.TypeSize && kk.Name == tr.Name {
				k = c
			}
		}
		if k.dot == nil {
			t.Fatalf("%s: no test row", kk.Name)
		}
		r := rand.New(rand.NewPCG(6, uint64(kk.Type)))
		n := 4 * tr.BlockSize
		if n < 300 {
			n = 300 / tr.BlockSize * tr.BlockSize
		}
		xw := make([]float32, n)
		xa := make([]float32, n)
		for i := range xw {
			xw[i] = float32(r.NormFloat64())
			xa[i] = float32(r.NormFloat64())
		}
		w := make([]byte, n/tr.BlockSize*tr.TypeSize)
		if err := quant.Quantize(typ, xw, w); err != nil {
			t.Fatalf("%s: %v", kk.Name, err)
		}
		atr, _ := tr.VecDotType.Traits()
		act := make([]byte, n/atr.BlockSize*atr.TypeSize)
		quant.QuantizeActivation(tr.VecDotType, xa, act)
		rw, ra := k.gen(r, n, "random")
		for _, in := range []struct {
			name   string
			w, act []byte
		}{{"quantized floats", w, act}, {"random blocks", rw, ra}} {
			want := tr.RefVecDot(n, in.w, in.act)
			mine, mag := k.ref(n, in.w, in.act)
			if d := math.Abs(float64(want) - mine); !(d <= rtol*mag+absTol) {
				t.Errorf("%s %s: quant.RefVecDot %v, test reference %v", kk.Name, in.name, want, mine)
			}
			both(t, func(t testing.TB, path string) {
				got := kk.Dot(n, in.w, in.act)
				if d := math.Abs(float64(got - want)); !(d <= 2*rtol*mag+absTol) {
					t.Errorf("%s %s %s: got %v, quant.RefVecDot %v (|diff| %g)", kk.Name, path, in.name, got, want, d)
				}
				// These kernels scale and add each block as ggml's generic
				// code does, so they give RefVecDot's bits.
				if sameBits[kk.Name] && math.Float32bits(got) != math.Float32bits(want) {
					t.Errorf("%s %s %s: got %v, quant.RefVecDot %v: want the same bits", kk.Name, path, in.name, got, want)
				}
			})
		}
	}
}

// TestQuantHook checks that ggml/quant installed the kernels at start-up
// (each type's VecDot is the kernel's Dot; with LIMNX_KERNELS=go, none
// is) and that MatVec through the installed VecDot agrees with RefVecDot
// for every type.
func TestQuantHook(t *testing.T) {
	forced := os.Getenv(quant.KernelsEnv) == "go"
	info := quant.KernelInfo()
	switch {
	case forced && !strings.Contains(info, "Go reference"):
		t.Errorf("%s=go: quant.KernelInfo() = %q, want the Go reference kernels", quant.KernelsEnv, info)
	case !forced && (!strings.Contains(info, "kernels/arm64") || !strings.Contains(info, "q4_K")):
		t.Errorf("quant.KernelInfo() = %q", info)
	}
	const rows, cols = 5, 512
	r := rand.New(rand.NewPCG(7, 7))
	m := quant.NewMatMul(2)
	defer m.Close()
	for _, kk := range arm64.Kernels() {
		typ := quant.Type(kk.Type)
		tr, _ := typ.Traits()
		installed := reflect.ValueOf(tr.VecDot).Pointer() == reflect.ValueOf(kk.Dot).Pointer()
		switch {
		case forced && installed:
			t.Errorf("%s: quant installed the kernel although %s=go", kk.Name, quant.KernelsEnv)
		case !forced && !installed:
			t.Errorf("%s: quant did not install the kernel at start-up", kk.Name)
		}
		x := make([]float32, cols)
		wf := make([]float32, rows*cols)
		for i := range wf {
			wf[i] = float32(r.NormFloat64())
		}
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		rowBytes := cols / tr.BlockSize * tr.TypeSize
		w := make([]byte, rows*rowBytes)
		if err := quant.Quantize(typ, wf, w); err != nil {
			t.Fatal(err)
		}
		out := make([]float32, rows)
		m.MatVec(typ, w, rows, cols, x, out)
		atr, _ := tr.VecDotType.Traits()
		act := make([]byte, cols/atr.BlockSize*atr.TypeSize)
		quant.QuantizeActivation(tr.VecDotType, x, act)
		for i := range out {
			want := tr.RefVecDot(cols, w[i*rowBytes:], act)
			if d := math.Abs(float64(out[i] - want)); d > 1e-4*math.Abs(float64(want))+1e-4 {
				t.Errorf("%s MatVec row %d: %v, reference %v", kk.Name, i, out[i], want)
			}
		}
	}
}
