package amd64_test

// Plain-Go references used as the oracle until ggml/quant's references land.
// They follow ggml's block layouts, computing each block's integer sum
// exactly and accumulating in float64; they also return the sum of the
// absolute values of all scaled products (see term), which scales the
// tolerance.

import (
	"encoding/binary"
	"math"

	"github.com/x448/float16"
)

func f16(b []byte) float64 {
	return float64(float16.Frombits(binary.LittleEndian.Uint16(b)).Float32())
}

func f32(b []byte) float64 {
	return float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
}

// term adds one block's contribution scale*isum to the running sum, and
// |scale|*iabs to abs, where iabs is the sum of the absolute values of the
// integer products making isum: abs bounds what any summation order adds
// up, so float errors are measured against it.
func term(sum, abs *float64, scale float64, isum, iabs int) {
	*sum += scale * float64(isum)
	*abs += math.Abs(scale) * float64(iabs)
}

func iabs(v int) int { return max(v, -v) }

func refDotQ8_0(n int, w, a []byte) (float64, float64) {
	var sum, abs float64
	for b := 0; b < n/32; b++ {
		wb, ab := w[34*b:], a[34*b:]
		isum, ia := 0, 0
		for i := 0; i < 32; i++ {
			p := int(int8(wb[2+i])) * int(int8(ab[2+i]))
			isum, ia = isum+p, ia+iabs(p)
		}
		term(&sum, &abs, f16(wb)*f16(ab), isum, ia)
	}
	return sum, abs
}

// scaleMinK4 decodes scale and min j (0..7) of a Q4_K/Q5_K block's 12
// packed 6-bit scales: j<4 in the low 6 bits of bytes j and j+4; j>=4 in
// the nibbles of byte j+4 with the top two bits in bits 6-7 of bytes j-4
// and j.
func scaleMinK4(j int, s []byte) (sc, m int) {
	if j < 4 {
		return int(s[j] & 63), int(s[j+4] & 63)
	}
	return int(s[j+4]&0xF) | int(s[j-4]>>6)<<4, int(s[j+4]>>4) | int(s[j]>>6)<<4
}

func refDotQ4_K(n int, w, a []byte) (float64, float64) {
	var sum, abs float64
	for b := 0; b < n/256; b++ {
		wb, ab := w[144*b:], a[292*b:]
		qs, aq := wb[16:144], ab[4:260]
		isc, imin, iasc, iamin := 0, 0, 0, 0
		for j := 0; j < 8; j++ {
			sc, m := scaleMinK4(j, wb[4:16])
			s, sa, as, aa := 0, 0, 0, 0
			for l := 0; l < 32; l++ {
				q := int(qs[32*(j/2)+l])
				if j%2 == 0 {
					q &= 15
				} else {
					q >>= 4
				}
				x := int(int8(aq[32*j+l]))
				s += q * x
				sa += x
				as += iabs(q * x)
				aa += iabs(x)
			}
			isc += sc * s
			imin += m * sa
			iasc += sc * as
			iamin += m * aa
		}
		da := f32(ab)
		term(&sum, &abs, da*f16(wb), isc, iasc)
		term(&sum, &abs, -da*f16(wb[2:]), imin, iamin)
	}
	return sum, abs
}

func refDotQ6_K(n int, w, a []byte) (float64, float64) {
	var sum, abs float64
	for b := 0; b < n/256; b++ {
		wb, ab := w[210*b:], a[292*b:]
		ql, qh, sc := wb[0:128], wb[128:192], wb[192:208]
		aq := ab[4:260]
		isum, ia := 0, 0
		for h := 0; h < 2; h++ {
			for l := 0; l < 32; l++ {
				lo, hi, hb := int(ql[64*h+l]), int(ql[64*h+l+32]), int(qh[32*h+l])
				q := [4]int{
					(lo & 15) | (hb&3)<<4,
					(hi & 15) | (hb>>2&3)<<4,
					(lo >> 4) | (hb>>4&3)<<4,
					(hi >> 4) | (hb>>6&3)<<4,
				}
				for g := 0; g < 4; g++ {
					p := int(int8(sc[8*h+2*g+l/16])) * (q[g] - 32) * int(int8(aq[128*h+32*g+l]))
					isum, ia = isum+p, ia+iabs(p)
				}
			}
		}
		term(&sum, &abs, f16(wb[208:])*f32(ab), isum, ia)
	}
	return sum, abs
}

// q32Value returns weight element i (0..31) of a 32-element block whose
// nibbles start at qs and whose fifth bits are qh (nil for 4-bit formats).
func q32Value(qs []byte, qh []byte, i int) int {
	v := int(qs[i%16])
	if i < 16 {
		v &= 15
	} else {
		v >>= 4
	}
	if qh != nil && binary.LittleEndian.Uint32(qh)>>i&1 == 1 {
		v |= 16
	}
	return v
}

// refDotQ32 is the reference for Q4_0/Q4_1/Q5_0/Q5_1: wSize and aSize are
// the block sizes, qsOff/qhOff (-1: none) locate the weight bits, offset is
// subtracted from each weight value, and withMin adds m_w*s_a per block.
func refDotQ32(wSize, aSize, qsOff, qhOff, offset int, withMin bool) func(n int, w, a []byte) (float64, float64) {
	return func(n int, w, a []byte) (float64, float64) {
		var sum, abs float64
		aq := aSize - 32
		for b := 0; b < n/32; b++ {
			wb, ab := w[wSize*b:], a[aSize*b:]
			var qh []byte
			if qhOff >= 0 {
				qh = wb[qhOff:]
			}
			isum, ia := 0, 0
			for i := 0; i < 32; i++ {
				p := (q32Value(wb[qsOff:], qh, i) - offset) * int(int8(ab[aq+i]))
				isum, ia = isum+p, ia+iabs(p)
			}
			term(&sum, &abs, f16(wb)*f16(ab), isum, ia)
			if withMin {
				term(&sum, &abs, f16(wb[2:])*f16(ab[2:]), 1, 1)
			}
		}
		return sum, abs
	}
}

func refDotQ5_K(n int, w, a []byte) (float64, float64) {
	var sum, abs float64
	for b := 0; b < n/256; b++ {
		wb, ab := w[176*b:], a[292*b:]
		qh, qs, aq := wb[16:48], wb[48:176], ab[4:260]
		isc, imin, iasc, iamin := 0, 0, 0, 0
		for j := 0; j < 8; j++ {
			sc, m := scaleMinK4(j, wb[4:16])
			s, sa, as, aa := 0, 0, 0, 0
			for l := 0; l < 32; l++ {
				q := int(qs[32*(j/2)+l])
				if j%2 == 0 {
					q &= 15
				} else {
					q >>= 4
				}
				q |= int(qh[l]>>j&1) << 4
				x := int(int8(aq[32*j+l]))
				s += q * x
				sa += x
				as += iabs(q * x)
				aa += iabs(x)
			}
			isc += sc * s
			imin += m * sa
			iasc += sc * as
			iamin += m * aa
		}
		da := f32(ab)
		term(&sum, &abs, da*f16(wb), isc, iasc)
		term(&sum, &abs, -da*f16(wb[2:]), imin, iamin)
	}
	return sum, abs
}

// q3KScale decodes signed scale k (0..15) of a Q3_K block's 12 scale bytes.
func q3KScale(k int, s []byte) int {
	lo := int(s[k%8])
	if k < 8 {
		lo &= 15
	} else {
		lo >>= 4
	}
	hi := int(s[8+k%4]) >> (2 * (k / 4)) & 3
	return lo | hi<<4 - 32
}

func refDotQ3_K(n int, w, a []byte) (float64, float64) {
	var sum, abs float64
	for b := 0; b < n/256; b++ {
		wb, ab := w[110*b:], a[292*b:]
		aq := ab[4:260]
		isum, ia := 0, 0
		for e := 0; e < 256; e++ {
			h, s, l := e/128, e/32%4, e%32
			q := int(wb[32+32*h+l]) >> (2 * s) & 3
			if wb[l]>>(4*h+s)&1 == 0 {
				q -= 4
			}
			p := q3KScale(e/16, wb[96:108]) * q * int(int8(aq[e]))
			isum, ia = isum+p, ia+iabs(p)
		}
		term(&sum, &abs, f16(wb[108:])*f32(ab), isum, ia)
	}
	return sum, abs
}

func refDotQ2_K(n int, w, a []byte) (float64, float64) {
	var sum, abs float64
	for b := 0; b < n/256; b++ {
		wb, ab := w[84*b:], a[292*b:]
		aq := ab[4:260]
		isc, imin, iasc, iamin := 0, 0, 0, 0
		for e := 0; e < 256; e++ {
			h, s, l := e/128, e/32%4, e%32
			q := int(wb[16+32*h+l]) >> (2 * s) & 3
			x := int(int8(aq[e]))
			isc += int(wb[e/16]&15) * q * x
			imin += int(wb[e/16]>>4) * x
			iasc += iabs(int(wb[e/16]&15) * q * x)
			iamin += iabs(int(wb[e/16]>>4) * x)
		}
		da := f32(ab)
		term(&sum, &abs, da*f16(wb[80:]), isc, iasc)
		term(&sum, &abs, -da*f16(wb[82:]), imin, iamin)
	}
	return sum, abs
}
