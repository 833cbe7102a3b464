package amd64

import (
	"encoding/binary"
	"math"
)

//go:noescape
func dotF32(n int, w, a *byte) float32

//go:noescape
func dotF16(n int, w, a *byte) float32

//go:noescape
func dotBF16(n int, w, a *byte) float32

// DotF32 is the F32 x F32 dot product of n elements (any n >= 0).
func DotF32(n int, w, act []byte) float32 {
	if n <= 0 {
		return 0
	}
	w = w[:4*n]
	act = act[:4*n]
	m := n &^ 7
	var s float32
	if m > 0 {
		s = dotF32(m, &w[0], &act[0])
	}
	for i := m; i < n; i++ {
		s += math.Float32frombits(binary.LittleEndian.Uint32(w[4*i:])) *
			math.Float32frombits(binary.LittleEndian.Uint32(act[4*i:]))
	}
	return s
}

// DotF16 is the F16 x F16 dot product of n elements (any n >= 0); ggml
// rounds the activations to F16 before multiplying F16 weights.
func DotF16(n int, w, act []byte) float32 {
	if n <= 0 {
		return 0
	}
	w = w[:2*n]
	act = act[:2*n]
	m := n &^ 7
	var s float32
	if m > 0 {
		s = dotF16(m, &w[0], &act[0])
	}
	for i := m; i < n; i++ {
		s += halfToFloat(binary.LittleEndian.Uint16(w[2*i:])) *
			halfToFloat(binary.LittleEndian.Uint16(act[2*i:]))
	}
	return s
}

// DotBF16 is the BF16 x BF16 dot product of n elements (any n >= 0).
func DotBF16(n int, w, act []byte) float32 {
	if n <= 0 {
		return 0
	}
	w = w[:2*n]
	act = act[:2*n]
	m := n &^ 7
	var s float32
	if m > 0 {
		s = dotBF16(m, &w[0], &act[0])
	}
	for i := m; i < n; i++ {
		s += math.Float32frombits(uint32(binary.LittleEndian.Uint16(w[2*i:]))<<16) *
			math.Float32frombits(uint32(binary.LittleEndian.Uint16(act[2*i:]))<<16)
	}
	return s
}

// halfToFloat converts IEEE 754 binary16 bits to float32 (exactly, like
// VCVTPH2PS).
//
//	bit 15 sign | bits 14-10 exponent (bias 15) | bits 9-0 mantissa
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	man := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf, NaN
		return math.Float32frombits(sign | 0xff<<23 | man<<13)
	case exp == 0 && man == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: man * 2^-24
		v := float32(man) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
}
