package amd64

import "math"

//go:noescape
func axpyF32(n int, a float32, x, y *float32)

// AxpyF32 sets y[i] += a*x[i] for i < len(y) (x must be at least as
// long), each with one fused multiply-add rounded once to float32. Where
// Enabled it runs AVX2+FMA (a tail of fewer than 8 elements through a
// padded copy, so every element is the hardware's FMA); otherwise a Go
// loop of math.FMA in float64, rounded to float32, which can differ in
// the last bit in rare double-rounding cases.
func AxpyF32(a float32, x, y []float32) {
	x = x[:len(y)]
	if !hasAVX2 {
		for i := range y {
			y[i] = float32(math.FMA(float64(a), float64(x[i]), float64(y[i])))
		}
		return
	}
	m := len(y) &^ 7
	if m > 0 {
		axpyF32(m, a, &x[0], &y[0])
	}
	if t := len(y) - m; t > 0 {
		var xb, yb [8]float32
		copy(xb[:], x[m:])
		copy(yb[:], y[m:])
		axpyF32(8, a, &xb[0], &yb[0])
		copy(y[m:], yb[:t])
	}
}
