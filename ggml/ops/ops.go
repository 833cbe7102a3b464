// Package ops owns the transformer's element-wise and row operations
// (RMSNorm, RoPE, softmax, SwiGLU) in plain Go float32, in the same order
// of operations as ggml's CPU backend where the order changes the result.
//
// Every function works in place or on caller-provided slices and never
// allocates, so a decode loop can call them once per token.
package ops

import "math"

// RMSNorm sets dst[i] = (x[i] * scale) * weight[i] with
// scale = 1/sqrt(mean(x^2) + eps), as ggml's rms_norm followed by mul:
// the squares are summed in float64, the mean is rounded to float32 and the
// scale is computed in float32. weight may be nil (no multiply). dst may
// alias x. len(dst), len(weight) (if not nil) must be >= len(x).
func RMSNorm(dst, x, weight []float32, eps float32) {
	var sum float64
	for _, v := range x {
		sum += float64(v * v)
	}
	mean := float32(sum / float64(len(x)))
	scale := 1 / float32(math.Sqrt(float64(mean+eps)))
	if weight == nil {
		for i, v := range x {
			dst[i] = v * scale
		}
		return
	}
	for i, v := range x {
		dst[i] = (v * scale) * weight[i]
	}
}

// Softmax replaces x with softmax(x): exp(x[i]-max) summed in float64, then
// every element scaled by float32(1/sum), as ggml's soft_max. An empty x is
// left alone; -Inf entries (masked positions) become 0.
func Softmax(x []float32) {
	if len(x) == 0 {
		return
	}
	max := x[0]
	for _, v := range x[1:] {
		if v > max {
			max = v
		}
	}
	var sum float64
	for i, v := range x {
		e := expf(v - max)
		x[i] = e
		sum += float64(e)
	}
	inv := float32(1 / sum)
	for i := range x {
		x[i] *= inv
	}
}

// SiLU returns x * sigmoid(x) = x / (1 + exp(-x)), as ggml_silu_f32.
func SiLU(x float32) float32 {
	return x / (1 + expf(-x))
}

// SwiGLU sets dst[i] = silu(gate[i]) * up[i] (ggml's swiglu). dst may alias
// gate or up; up and dst must be at least as long as gate.
func SwiGLU(dst, gate, up []float32) {
	for i, g := range gate {
		dst[i] = SiLU(g) * up[i]
	}
}

// Add sets dst[i] += x[i] (the residual connection).
func Add(dst, x []float32) {
	for i, v := range x {
		dst[i] += v
	}
}

// Dot returns the float32 dot product of a and b (len(a) elements), used
// for attention scores.
func Dot(a, b []float32) float32 {
	var s float32
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func expf(x float32) float32 { return float32(math.Exp(float64(x))) }
