package quant

import (
	"fmt"
	"math"
)

// QuantizeActivation converts the activations x to type t, the VecDotType
// of some weight type, exactly as ggml's CPU backend does before a matmul:
//
//   - Q8_0: per 32 values amax = max|x|, d = amax/127 stored as binary16,
//     q = round-half-to-even(x * (127/amax)) (ggml's x86 quantize_row_q8_0);
//   - Q8_1: the same, plus s = d*sum(q) with the unrounded float32 d, stored
//     as binary16;
//   - Q8_K: per 256 values max = the value of largest |x| (sign kept),
//     iscale = -127/max, q = min(127, round-half-to-even(iscale*x)),
//     d = 1/iscale as float32, bsums = sums of each 16 q's
//     (quantize_row_q8_K_ref);
//   - F16 / BF16: each value rounded to nearest, ties to even;
//   - F32: copied.
//
// len(x) must be a multiple of t's block size and dst must hold at least
// RowSize(t, len(x)) bytes. Those are invariants of the caller (shapes
// come from a validated model), so a violation panics with a message
// saying which; an unsupported t panics likewise. Use
// QuantizeActivationChecked for an error instead.
//
// QuantizeActivation is the plain-Go reference, whatever kernels are
// installed; MatMul quantizes with the activation type's
// Traits.QuantizeAct, which gives the same bytes.
func QuantizeActivation(t Type, x []float32, dst []byte) {
	if err := QuantizeActivationChecked(t, x, dst); err != nil {
		panic(err.Error())
	}
}

// QuantizeActivationChecked is QuantizeActivation returning an error, not
// panicking, for an unsupported t or bad lengths.
func QuantizeActivationChecked(t Type, x []float32, dst []byte) error {
	f, ok := refActQuant(t)
	if !ok {
		return fmt.Errorf("quant: quantize activations: %v is not an activation type", t)
	}
	n, err := RowSize(t, len(x))
	if err != nil {
		return fmt.Errorf("quant: quantize activations: %w", err)
	}
	if len(dst) < n {
		return fmt.Errorf("quant: quantize %d activations to %v: have %d bytes, want %d", len(x), t, len(dst), n)
	}
	f(x, dst)
	return nil
}

// refActQuant returns the reference (plain Go) activation quantizer for t.
func refActQuant(t Type) (func([]float32, []byte), bool) {
	switch t {
	case F32:
		return quantF32, true
	case F16:
		return quantF16, true
	case BF16:
		return quantBF16, true
	case Q8_0:
		return actQ8_0, true
	case Q8_1:
		return actQ8_1, true
	case Q8_K:
		return actQ8_K, true
	}
	return nil, false
}

// roundEven rounds v to the nearest integer, ties to even, as
// _mm256_round_ps(v, _MM_ROUND_NEAREST) and ggml's nearest_int do.
func roundEven(v float32) int32 { return int32(math.RoundToEven(float64(v))) }

// q8Block fills q with round-half-even(x * 127/amax) and returns the
// float32 d = amax/127 and the sum of q.
func q8Block(x []float32, q []byte) (d float32, sum int32) {
	_, amax := absMax(x)
	d = amax / 127
	var id float32
	if amax != 0 {
		id = 127 / amax
	}
	for j, v := range x {
		r := roundEven(v * id)
		q[j] = byte(int8(r))
		sum += r
	}
	return d, sum
}

func actQ8_0(src []float32, dst []byte) {
	for i := 0; i < len(src)/qk; i++ {
		b := dst[i*34 : i*34+34]
		d, _ := q8Block(src[i*qk:i*qk+qk], b[2:34])
		put16(b, f32ToF16(d))
	}
}

func actQ8_1(src []float32, dst []byte) {
	for i := 0; i < len(src)/qk; i++ {
		b := dst[i*36 : i*36+36]
		d, sum := q8Block(src[i*qk:i*qk+qk], b[4:36])
		put16(b, f32ToF16(d))
		put16(b[2:], f32ToF16(d*float32(sum)))
	}
}

func actQ8_K(src []float32, dst []byte) {
	for i := 0; i < len(src)/qkK; i++ {
		x := src[i*qkK : i*qkK+qkK]
		b := dst[i*292 : i*292+292]
		maxv, amax := absMax(x)
		if amax == 0 {
			clear(b)
			continue
		}
		iscale := -127 / maxv
		for j, v := range x {
			b[4+j] = byte(int8(min(127, roundEven(iscale*v))))
		}
		for k := 0; k < 16; k++ {
			var s int32
			for _, q := range b[4+16*k : 4+16*k+16] {
				s += int32(int8(q))
			}
			put16(b[260+2*k:], uint16(int16(s)))
		}
		put32(b, math.Float32bits(1/iscale))
	}
}
