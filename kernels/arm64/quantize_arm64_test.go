package arm64_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/kernels/arm64"
)

// TestQuantize: the activation quantizers give ggml/quant's
// QuantizeActivation bytes exactly, on random rows at many scales and on
// edge cases: zero blocks, round-half-even ties, a negative and a positive
// value of equal largest magnitude (the first wins), -0, subnormals.
func TestQuantize(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	const n = 1024
	rows := map[string][]float32{}
	for _, scale := range []float64{1e-30, 1e-6, 1, 3.7, 1e4, 1e30} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(r.NormFloat64() * scale)
		}
		rows["normal"+string(rune('a'+len(rows)))] = x
	}
	zero := make([]float32, n)
	rows["zero"] = zero
	ties := make([]float32, n)
	for i := range ties {
		// amax 127 in every block (first element), so q = x: halves tie.
		switch {
		case i%32 == 0:
			ties[i] = 127
		default:
			ties[i] = float32(r.IntN(200)-100) + 0.5
		}
	}
	rows["ties"] = ties
	signs := make([]float32, n)
	for i := range signs {
		signs[i] = float32(r.IntN(9) - 4)
		if i%256 == 37 {
			signs[i] = -5
		}
		if i%256 == 200 || i%256 == 3 && i >= 512 {
			signs[i] = 5
		}
	}
	rows["equal magnitudes"] = signs
	mixed := make([]float32, n)
	for i := range mixed {
		switch r.IntN(4) {
		case 0:
			mixed[i] = float32(math.Copysign(0, -1))
		case 1:
			mixed[i] = math.Float32frombits(uint32(r.IntN(1 << 23))) // subnormal
		default:
			mixed[i] = float32(r.NormFloat64())
		}
	}
	for i := 256; i < 512; i++ {
		mixed[i] = float32(math.Copysign(0, -1))
	}
	rows["mixed"] = mixed
	for _, typ := range []quant.Type{quant.Q8_0, quant.Q8_1, quant.Q8_K} {
		q, ok := arm64.LookupQuantizer(uint32(typ))
		if !ok {
			t.Fatalf("no quantizer for %v", typ)
		}
		size, _ := quant.RowSize(typ, n)
		for name, x := range rows {
			want := make([]byte, size)
			quant.QuantizeActivation(typ, x, want)
			got := make([]byte, size+8)
			for i := range got {
				got[i] = 0xa5
			}
			// misaligned source and destination
			xs := append(make([]float32, 1, n+1), x...)[1:]
			q.Quantize(xs, got[3:3+size])
			if !bytes.Equal(got[3:3+size], want) {
				for i := range want {
					if got[3+i] != want[i] {
						t.Errorf("%v %s: byte %d (block %d) = %#x, want %#x", typ, name, i, i/(size/(n/q.BlockSize)), got[3+i], want[i])
						break
					}
				}
			}
			if got[2] != 0xa5 || got[3+size] != 0xa5 {
				t.Errorf("%v %s: wrote outside dst", typ, name)
			}
		}
	}
}

func BenchmarkQuantizeQ8_K(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	dst := make([]byte, 16*292)
	b.SetBytes(4 * int64(len(x)))
	for b.Loop() {
		arm64.QuantizeQ8_K(x, dst)
	}
}
