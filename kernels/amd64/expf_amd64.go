package amd64

//go:noescape
func expSubSum(n int, x *float32, max float32) float64

//go:noescape
func swiGLU(n int, dst, gate, up *float32)

// ExpSubSum sets x[i] = e**(x[i]-max) for the first len(x)&^7 elements,
// as ggml/ops' expf within 2 float32 ulps (0 where x[i]-max is below
// ln(smallest normal float32), -Inf included), and returns how many it
// did and the float64 sum of their results: softmax's exponentials, the
// caller doing the tail. Where Enabled is false it does none.
func ExpSubSum(x []float32, max float32) (done int, sum float64) {
	n := len(x) &^ 7
	if !hasAVX2 || n == 0 {
		return 0, 0
	}
	return n, expSubSum(n, &x[0], max)
}

// SwiGLU sets dst[i] = gate[i] * sigmoid(gate[i]) * up[i] (ggml's swiglu,
// e**-gate within 2 ulps of ggml/ops' expf) for the first len(gate)&^7
// elements and returns how many it did; up and dst must be at least as
// long as gate and may alias it. Where Enabled is false it does none.
func SwiGLU(dst, gate, up []float32) (done int) {
	n := len(gate) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	_, _ = dst[n-1], up[n-1]
	swiGLU(n, &dst[0], &gate[0], &up[0])
	return n
}
