package kernels

import "testing"

// TestTokensOf: the DotTokens made from a Dot calls it once per token with
// that token's activations and writes each result at its stride, nowhere
// else.
func TestTokensOf(t *testing.T) {
	dot := func(n int, w, act []byte) float32 { return float32(n*int(w[0]) + int(act[0])) }
	act := []byte{1, 0, 2, 0, 3, 0}
	out := []float32{-1, -1, -1, -1, -1, -1, -1}
	TokensOf(dot)(10, []byte{4}, act, 2, 3, out, 3)
	want := []float32{41, -1, -1, 42, -1, -1, 43}
	for i := range want {
		if out[i] != want[i] {
			t.Fatalf("out = %v, want %v", out, want)
		}
	}
}
