package amd64_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/amd64"
)

// activationCases returns named float inputs of n values (n a multiple of
// 256) that stress the quantizers: random, zero blocks, exact ties after
// scaling, equal +/- maxima, and extreme magnitudes.
func activationCases(n int) []struct {
	name string
	x    []float32
} {
	r := rand.New(rand.NewPCG(7, 8))
	gen := func(f func(i int) float32) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = f(i)
		}
		return x
	}
	return []struct {
		name string
		x    []float32
	}{
		{"random", gen(func(int) float32 { return float32(r.NormFloat64()) })},
		{"zero", gen(func(int) float32 { return 0 })},
		{"zero-blocks", gen(func(i int) float32 {
			if (i/32)%3 == 1 || (i/256)%2 == 1 {
				return 0
			}
			return float32(r.NormFloat64())
		})},
		// amax 127 so the scale is exactly 1 and x.5 values are ties.
		{"ties", gen(func(i int) float32 {
			if i%32 == 0 {
				return 127
			}
			return float32(r.IntN(200)-100) + 0.5
		})},
		{"neg-max-first", gen(func(i int) float32 {
			switch i % 256 {
			case 3:
				return -9
			case 7:
				return 9
			}
			return float32(r.NormFloat64())
		})},
		{"pos-max-first", gen(func(i int) float32 {
			switch i % 256 {
			case 3:
				return 9
			case 7:
				return -9
			}
			return float32(r.NormFloat64())
		})},
		{"huge", gen(func(int) float32 { return float32(r.NormFloat64() * 1e30) })},
		// Smallest magnitudes for which 127/amax is finite. (Below about
		// 3.7e-37 the scale overflows to +Inf: ggml's x86 code then writes
		// -128s via saturating packs, as these kernels do, while quant's Go
		// reference writes 0s; real activations never get there.)
		{"tiny", gen(func(int) float32 { return float32(r.NormFloat64() * 1e-35) })},
		{"nan-inf", gen(func(i int) float32 {
			switch i % 5 {
			case 1:
				return float32(math.Inf(1 - 2*(i%2)))
			case 3:
				return math.Float32frombits(0x7fc00001 | uint32(i)<<8) // NaN payloads
			}
			return float32(r.NormFloat64())
		})},
		{"rounding", gen(func(i int) float32 {
			// values on and next to float16 / bfloat16 rounding ties
			return math.Float32frombits(0x3f800000 + uint32(i)*0x1001 + uint32(i%3)<<12)
		})},
		{"one-hot", gen(func(i int) float32 {
			if i%97 == 5 {
				return -3.25
			}
			return 0
		})},
	}
}

// TestQuantize checks that the AVX2 activation quantizers produce exactly
// ggml/quant's QuantizeActivation bytes, for 1..9 blocks of 256 values.
func TestQuantize(t *testing.T) {
	if !amd64.Enabled() {
		t.Skip("no AVX2/FMA/F16C: " + amd64.Features())
	}
	for _, typ := range []quant.Type{quant.Q8_0, quant.Q8_1, quant.Q8_K, quant.F16, quant.BF16} {
		q, ok := amd64.LookupQuantizer(uint32(typ))
		if !ok {
			t.Errorf("%v: no quantizer registered", typ)
			continue
		}
		for _, n := range []int{256, 512, 2304, 13} {
			if n%q.BlockSize != 0 {
				continue
			}
			for _, tc := range activationCases(n) {
				if tc.name == "nan-inf" && q.BlockSize > 1 {
					// Not finite: ggml's x86 Q8 quantizers (and these) give
					// -128 where the scaled value is NaN; quant's Go gives 0.
					continue
				}
				t.Run(fmt.Sprintf("%v/%d/%s", typ, n, tc.name), func(t *testing.T) {
					size, err := quant.RowSize(typ, n)
					if err != nil {
						t.Fatal(err)
					}
					want := make([]byte, size)
					quant.QuantizeActivation(typ, tc.x, want)
					got := make([]byte, size)
					for i := range got {
						got[i] = 0xAA // no byte may be left unwritten
					}
					q.Quantize(tc.x, got)
					if !bytes.Equal(got, want) {
						i := 0
						for got[i] == want[i] {
							i++
						}
						t.Errorf("first difference at byte %d (block %d): got % x, want % x",
							i, i/(size/(n/q.BlockSize)), got[i:min(i+8, size)], want[i:min(i+8, size)])
					}
				})
			}
		}
	}
}
