package amd64_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/amd64"
)

// TestDotQuantized runs every registered kernel end to end on weights made
// by quant's reference quantizer and activations made by quant's
// QuantizeActivation, against quant's RefVecDot. The tolerance is 1e-5 of
// sum |w_i*a_i| over the dequantized values (float accumulation order is
// the only difference).
func TestDotQuantized(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range amd64.Kernels() {
		typ := quant.Type(k.Type)
		tr, ok := typ.Traits()
		if !ok {
			t.Errorf("kernel %s: quant has no type %d", k.Name, k.Type)
			continue
		}
		if tr.Name != k.Name || tr.BlockSize != k.BlockSize || uint32(tr.VecDotType) != k.ActType {
			t.Errorf("kernel row %s (block %d, act %d) disagrees with quant's %s (block %d, act %v)",
				k.Name, k.BlockSize, k.ActType, tr.Name, tr.BlockSize, tr.VecDotType)
		}
		lengths := []int{256, 512, 1024, 2816}
		if k.BlockSize == 1 {
			lengths = append(lengths, 1, 7, 9, 31, 33, 100)
		}
		for _, n := range lengths {
			t.Run(fmt.Sprintf("%s/%d", k.Name, n), func(t *testing.T) {
				x := make([]float32, n)
				y := make([]float32, n)
				for i := range x {
					x[i] = float32(r.NormFloat64())
					y[i] = float32(r.NormFloat64() * 3)
				}
				wSize, _ := quant.RowSize(typ, n)
				aSize, _ := quant.RowSize(tr.VecDotType, n)
				w := make([]byte, wSize)
				a := make([]byte, aSize)
				if err := quant.Quantize(typ, x, w); err != nil {
					t.Fatal(err)
				}
				quant.QuantizeActivation(tr.VecDotType, y, a)
				// Scale of the tolerance from the dequantized values.
				wf := make([]float32, n)
				af := make([]float32, n)
				if err := quant.Dequantize(typ, w, wf); err != nil {
					t.Fatal(err)
				}
				if err := quant.Dequantize(tr.VecDotType, a, af); err != nil {
					t.Fatal(err)
				}
				var abs float64
				for i := range wf {
					abs += math.Abs(float64(wf[i]) * float64(af[i]))
				}
				want := float64(tr.RefVecDot(n, w, a))
				for off := 0; off < 8; off += 3 {
					got := float64(k.Dot(n, at(w, off), at(a, 7-off)))
					if math.IsNaN(got) || math.Abs(got-want) > 1e-5*abs {
						t.Errorf("offset %d: got %v, want %v (diff %.3g, tolerance %.3g)",
							off, got, want, math.Abs(got-want), 1e-5*abs)
					}
				}
			})
		}
	}
}
