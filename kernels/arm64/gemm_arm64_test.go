package arm64

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/x448/float16"
)

// TestGemmF16Strided: strided F16 rows against float32 rows equal the
// float64 sums within 1e-5 of sum |w*x|, for lengths around the 16- and
// 4-lane loops (tails included); output gaps stay untouched; bad shapes
// are errors.
func TestGemmF16Strided(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 7))
	for _, n := range []int{0, 1, 3, 4, 15, 16, 17, 128, 131} {
		for _, shape := range []struct{ rows, tok int }{{1, 1}, {3, 2}, {5, 4}} {
			ws, xs := n+1, n+3
			w := make([]byte, 2*max(0, (shape.rows-1)*ws+n))
			for i := 0; i+1 < len(w); i += 2 {
				binary.LittleEndian.PutUint16(w[i:], float16.Fromfloat32(float32(r.NormFloat64())).Bits())
			}
			x := make([]float32, max(0, (shape.tok-1)*xs+n))
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			outStride := shape.rows + 1
			out := make([]float32, shape.tok*outStride)
			for i := range out {
				out[i] = -7
			}
			if err := GemmF16Strided(n, w, ws, shape.rows, x, xs, shape.tok, out, outStride); err != nil {
				t.Fatal(err)
			}
			for tok := range shape.tok {
				for row := range shape.rows {
					var want, abs float64
					for k := range n {
						h := float16.Frombits(binary.LittleEndian.Uint16(w[2*(row*ws+k):]))
						p := float64(h.Float32()) * float64(x[tok*xs+k])
						want += p
						abs += math.Abs(p)
					}
					if got := float64(out[tok*outStride+row]); math.Abs(got-want) > 1e-5*abs {
						t.Fatalf("n=%d %+v: out[%d][%d] = %g, want %g", n, shape, tok, row, got, want)
					}
				}
				if out[tok*outStride+shape.rows] != -7 {
					t.Fatalf("n=%d %+v: output gap written", n, shape)
				}
			}
		}
	}
	if err := GemmF16Strided(8, make([]byte, 32), 7, 2, make([]float32, 8), 8, 1, make([]float32, 2), 2); err == nil {
		t.Error("stride 7 < n=8: no error")
	}
	if err := GemmF16Strided(8, make([]byte, 30), 8, 2, make([]float32, 8), 8, 1, make([]float32, 2), 2); err == nil {
		t.Error("30 weight bytes for 2 rows of 8: no error")
	}
}
