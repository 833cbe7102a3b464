package arm64_test

import (
	"encoding/binary"
	"math"
)

// Plain-Go references for the kernels, written from the block layouts in
// ggml-common.h and the scalar vec_dot routines' arithmetic: integer sums
// per (sub-)block, then float scaling. Each returns the dot product in
// float64 and the sum of the magnitudes of the float terms it added, which
// scales the float tolerance.

func half(b []byte) float64 { return halfBits(binary.LittleEndian.Uint16(b)) }

// halfBits decodes an IEEE 754 binary16 value.
func halfBits(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 31
	man := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * man * math.Ldexp(1, -24)
	case 31:
		if man == 0 {
			return sign * math.Inf(1)
		}
		return math.NaN()
	}
	return sign * (1 + man/1024) * math.Ldexp(1, exp-15)
}

func bf16(b []byte) float64 {
	return float64(math.Float32frombits(uint32(binary.LittleEndian.Uint16(b)) << 16))
}

func f32(b []byte) float64 { return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))) }

type ref func(n int, w, act []byte) (val, mag float64)

func accum(val, mag *float64, t float64) { *val += t; *mag += math.Abs(t) }

func refQ8_0(n int, w, a []byte) (v, m float64) {
	for i := 0; i < n/32; i++ {
		x, y := w[34*i:], a[34*i:]
		s := 0
		for j := 0; j < 32; j++ {
			s += int(int8(x[2+j])) * int(int8(y[2+j]))
		}
		accum(&v, &m, half(x)*half(y)*float64(s))
	}
	return
}

// q4q5 returns element j of a Q4_0/Q4_1/Q5_0/Q5_1 block's quants before
// any offset: qs holds nibbles, qh (nil for Q4) the fifth bits.
func q4q5(qs, qh []byte, j int) int {
	q := int(qs[j%16])
	if j < 16 {
		q &= 15
	} else {
		q >>= 4
	}
	if qh != nil {
		q |= int(binary.LittleEndian.Uint32(qh)>>j&1) << 4
	}
	return q
}

func refSmall(n int, w, a []byte, wsize, asize, qsOff int, qhOff int, offset int, hasMin bool) (v, m float64) {
	for i := 0; i < n/32; i++ {
		x, y := w[wsize*i:], a[asize*i:]
		var qh []byte
		if qhOff >= 0 {
			qh = x[qhOff:]
		}
		yq := y[asize-32:]
		s := 0
		for j := 0; j < 32; j++ {
			s += (q4q5(x[qsOff:], qh, j) - offset) * int(int8(yq[j]))
		}
		accum(&v, &m, half(x)*half(y)*float64(s))
		if hasMin {
			accum(&v, &m, half(x[2:])*half(y[2:]))
		}
	}
	return
}

func refQ4_0(n int, w, a []byte) (float64, float64) {
	return refSmall(n, w, a, 18, 34, 2, -1, 8, false)
}
func refQ4_1(n int, w, a []byte) (float64, float64) { return refSmall(n, w, a, 20, 36, 4, -1, 0, true) }
func refQ5_0(n int, w, a []byte) (float64, float64) {
	return refSmall(n, w, a, 22, 34, 6, 2, 16, false)
}
func refQ5_1(n int, w, a []byte) (float64, float64) { return refSmall(n, w, a, 24, 36, 8, 4, 0, true) }

// q8K splits a Q8_K block: d, quants, bsums.
func q8K(y []byte) (float64, []int8, []int) {
	q := make([]int8, 256)
	for i := range q {
		q[i] = int8(y[4+i])
	}
	bs := make([]int, 16)
	for j := range bs {
		bs[j] = int(int16(binary.LittleEndian.Uint16(y[260+2*j:])))
	}
	return f32(y), q, bs
}

// kTerms adds d*yd*isum - dmin*yd*summ to v and m.
func kTerms(v, m *float64, d, dmin, yd float64, isum, summ int) {
	accum(v, m, d*yd*float64(isum))
	if summ != 0 {
		accum(v, m, -dmin*yd*float64(summ))
	}
}

func refQ2_K(n int, w, a []byte) (v, m float64) {
	for i := 0; i < n/256; i++ {
		x, y := w[84*i:], a[292*i:]
		yd, q8, bs := q8K(y)
		sc, qs := x[:16], x[16:80]
		isum, summ := 0, 0
		for e := 0; e < 256; e++ {
			h, g, l := e/128, e%128/32, e%32
			q := int(qs[32*h+l]>>(2*g)) & 3
			isum += int(sc[e/16]&15) * q * int(q8[e])
		}
		for j := 0; j < 16; j++ {
			summ += int(sc[j]>>4) * bs[j]
		}
		kTerms(&v, &m, half(x[80:]), half(x[82:]), yd, isum, summ)
	}
	return
}

func refQ3_K(n int, w, a []byte) (v, m float64) {
	for i := 0; i < n/256; i++ {
		x, y := w[110*i:], a[292*i:]
		yd, q8, _ := q8K(y)
		hm, qs, sb := x[:32], x[32:96], x[96:108]
		isum := 0
		for e := 0; e < 256; e++ {
			h, g, l := e/128, e%128/32, e%32
			q := int(qs[32*h+l]>>(2*g)) & 3
			if hm[l]>>(4*h+g)&1 == 0 {
				q -= 4
			}
			j := e / 16
			var lo int
			if j < 8 {
				lo = int(sb[j] & 15)
			} else {
				lo = int(sb[j-8] >> 4)
			}
			sc := lo | int(sb[8+j%4]>>(2*(j/4))&3)<<4
			isum += (sc - 32) * q * int(q8[e])
		}
		kTerms(&v, &m, half(x[108:]), 0, yd, isum, 0)
	}
	return
}

// scaleMinK4 decodes the 6-bit scale and min of sub-block j of Q4_K/Q5_K.
func scaleMinK4(s []byte, j int) (sc, mn int) {
	if j < 4 {
		return int(s[j] & 63), int(s[j+4] & 63)
	}
	return int(s[j+4]&15) | int(s[j-4]>>6)<<4, int(s[j+4]>>4) | int(s[j]>>6)<<4
}

func refQ45K(n int, w, a []byte, five bool) (v, m float64) {
	size, qsOff := 144, 16
	if five {
		size, qsOff = 176, 48
	}
	for i := 0; i < n/256; i++ {
		x, y := w[size*i:], a[292*i:]
		yd, q8, bs := q8K(y)
		isum, summ := 0, 0
		for e := 0; e < 256; e++ {
			c, l := e/64, e%32
			q := int(x[qsOff+32*c+l])
			if e%64 < 32 {
				q &= 15
			} else {
				q >>= 4
			}
			if five {
				q += int(x[16+l]>>(e/32)&1) << 4
			}
			sc, _ := scaleMinK4(x[4:16], e/32)
			isum += sc * q * int(q8[e])
		}
		for j := 0; j < 8; j++ {
			_, mn := scaleMinK4(x[4:16], j)
			summ += mn * (bs[2*j] + bs[2*j+1])
		}
		kTerms(&v, &m, half(x), half(x[2:]), yd, isum, summ)
	}
	return
}

func refQ4_K(n int, w, a []byte) (float64, float64) { return refQ45K(n, w, a, false) }
func refQ5_K(n int, w, a []byte) (float64, float64) { return refQ45K(n, w, a, true) }

func refQ6_K(n int, w, a []byte) (v, m float64) {
	for i := 0; i < n/256; i++ {
		x, y := w[210*i:], a[292*i:]
		yd, q8, _ := q8K(y)
		isum := 0
		for e := 0; e < 256; e++ {
			h, g, l := e/128, e%128/32, e%32
			L, H := x[64*h:], x[128+32*h:]
			var q int
			switch g {
			case 0:
				q = int(L[l]&15) | int(H[l]&3)<<4
			case 1:
				q = int(L[l+32]&15) | int(H[l]>>2&3)<<4
			case 2:
				q = int(L[l]>>4) | int(H[l]>>4&3)<<4
			case 3:
				q = int(L[l+32]>>4) | int(H[l]>>6&3)<<4
			}
			isum += int(int8(x[192+e/16])) * (q - 32) * int(q8[e])
		}
		kTerms(&v, &m, half(x[208:]), 0, yd, isum, 0)
	}
	return
}

func refFloat(n int, w, a []byte, size int, dec func([]byte) float64) (v, m float64) {
	for i := 0; i < n; i++ {
		accum(&v, &m, dec(w[size*i:])*dec(a[size*i:]))
	}
	return
}

func refF32(n int, w, a []byte) (float64, float64)  { return refFloat(n, w, a, 4, f32) }
func refF16(n int, w, a []byte) (float64, float64)  { return refFloat(n, w, a, 2, half) }
func refBF16(n int, w, a []byte) (float64, float64) { return refFloat(n, w, a, 2, bf16) }
