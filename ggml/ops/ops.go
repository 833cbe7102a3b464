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

// Softmax replaces x with softmax(x): exp(x[i]-max) (float32, within 2 ulp,
// like ggml's vectorized expf) summed in float64, then every element scaled
// by float32(1/sum), as ggml's soft_max. An empty x is
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
	done := 0
	if expSubSumVec != nil {
		done, sum = expSubSumVec(x, max)
	}
	for i, v := range x[done:] {
		i += done
		d := v - max // <= 0
		var e float32
		if d >= expMinX {
			e = expCore(d) // inlined: this loop is most of a long prompt's softmax time
		} else {
			e = expf(d)
		}
		x[i] = e
		sum += float64(e)
	}
	inv := float32(1 / sum)
	for i := range x {
		x[i] *= inv
	}
}

// SiLU returns x * sigmoid(x) = x / (1 + exp(-x)), as ggml_silu_f32 (exp
// within 2 ulp, like ggml's vectorized expf).
func SiLU(x float32) float32 {
	return x / (1 + expf(-x))
}

// SwiGLU sets dst[i] = silu(gate[i]) * up[i] (ggml's swiglu). dst may alias
// gate or up; up and dst must be at least as long as gate.
func SwiGLU(dst, gate, up []float32) {
	up = up[:len(gate)]
	done := 0
	if swiGLUVec != nil {
		done = swiGLUVec(dst, gate, up)
	}
	for i, g := range gate[done:] {
		i += done
		var e float32 // exp(-g), inlined in the common range
		if m := -g; m >= expMinX && m <= expMaxX {
			e = expCore(m)
		} else {
			e = expf(m)
		}
		dst[i] = g / (1 + e) * up[i]
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

// Constants of expf.
const (
	expLog2e = 1.44269504088896341
	expLn2Hi = 0.693359375 // 8 significant bits: n*expLn2Hi is exact for |n| < 2**16
	expLn2Lo = -2.12194440e-4
	expMinX  = -87.33654475055310 // ln(smallest normal float32)
	expMaxX  = 88.37626           // ~127.5*ln2: expCore's n stays <= 127
)

// expf returns e**x in float32 within 2 ulp (TestExpf), as ggml's SIMD
// ggml_v_expf approximates it for soft_max and silu. x in [expMinX,
// expMaxX] takes expCore; results below the smallest normal float32 take
// math.Exp, so they underflow gradually as ggml's do; above, math.Exp
// rounded to float32 (+Inf past ln(MaxFloat32)).
func expf(x float32) float32 {
	if x >= expMinX && x <= expMaxX {
		return expCore(x)
	}
	return float32(math.Exp(float64(x))) // also NaN
}

// expCore is expf for x in [expMinX, expMaxX], small enough to inline in
// the loops of Softmax and SwiGLU: x = n*ln2 + r with |r| <= ln2/2 (ln2
// split in two so that n*ln2Hi is exact), e**r by a degree-6 polynomial
// in float32 (Cephes' expf coefficients), then 2**n through the exponent
// bits.
func expCore(x float32) float32 {
	n := int32(x*expLog2e+128.5) - 128 // round to nearest: the sum is > 0, so int32 truncates as floor
	fn := float32(n)
	r := x - fn*expLn2Hi - fn*expLn2Lo
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	return (p*r*r + r + 1) * math.Float32frombits(uint32(n+127)<<23)
}
