package quant

import "math"

// The K-quant dot products against Q8_K activations compute what ggml's
// generic code computes: products of the small integer quants with the
// int8 activations summed exactly in int32, in 8 lanes (element e of a
// super-block goes to lane e%8, as ggml's aux32), each lane scaled by the
// float super-block scale and accumulated across blocks in float32, the
// lanes added last. (Q2_K has no lanes: one int sum per block.) The loops
// are fused (no unpacking pass); dotgeneric_test.go keeps the unfused
// transcription they are tested against.

// q8Kd returns the float32 d of a q8_K block.
func q8Kd(b *[292]byte) float32 { return math.Float32frombits(le32(b[:])) }

// bsum returns bsums[k] of a q8_K block.
func bsum(b *[292]byte, k int) int32 { return int32(int16(le16(b[260+2*k:]))) }

// q8Kblock returns the i-th q8_K block of act.
func q8Kblock(act []byte, i int) *[292]byte { return (*[292]byte)(act[i*292:]) }

func dotQ2_KQ8_K(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qkK; i++ {
		x := (*[84]byte)(w[i*84:])
		y := q8Kblock(act, i)
		var summs int32
		for k := 0; k < 16; k++ {
			summs += bsum(y, k) * int32(x[k]>>4)
		}
		var isum int32
		for h := 0; h < 2; h++ {
			q := (*[32]byte)(x[16+32*h:])
			for s := 0; s < 4; s++ {
				ys := (*[32]byte)(y[4+128*h+32*s:])
				shift := 2 * s
				var lo, hi int32
				for l := 0; l < 16; l++ {
					lo += int32(int8(ys[l])) * int32((q[l]>>shift)&3)
					hi += int32(int8(ys[l+16])) * int32((q[l+16]>>shift)&3)
				}
				k := 8*h + 2*s
				isum += int32(x[k]&0xF)*lo + int32(x[k+1]&0xF)*hi
			}
		}
		yd := q8Kd(y)
		dall := yd * f16ToF32(le16(x[80:]))
		dmin := yd * f16ToF32(le16(x[82:]))
		sum += float32(dall*float32(isum)) - float32(dmin*float32(summs))
	}
	return sum
}

func dotQ3_KQ8_K(n int, w []byte, act []byte) float32 {
	var sums [8]float32
	var sc [16]int32
	for i := 0; i < n/qkK; i++ {
		x := (*[110]byte)(w[i*110:])
		y := q8Kblock(act, i)
		hm := (*[32]byte)(x[0:])
		for k := range sc {
			sc[k] = q3Scale(k, x[96:108])
		}
		var aux [8]int32
		for h := 0; h < 2; h++ {
			q := (*[32]byte)(x[32+32*h:])
			for s := 0; s < 4; s++ {
				ys := (*[32]byte)(y[4+128*h+32*s:])
				shift, hb := 2*s, 4*h+s
				s1, s2 := sc[8*h+2*s], sc[8*h+2*s+1]
				v := func(l int) int32 {
					return int32((q[l]>>shift)&3) - int32((hm[l]>>hb)&1^1)<<2
				}
				for k := 0; k < 8; k++ {
					p1 := v(k)*int32(int8(ys[k])) + v(k+8)*int32(int8(ys[k+8]))
					p2 := v(k+16)*int32(int8(ys[k+16])) + v(k+24)*int32(int8(ys[k+24]))
					aux[k] += s1*p1 + s2*p2
				}
			}
		}
		d := f16ToF32(le16(x[108:])) * q8Kd(y)
		for l := range sums {
			sums[l] += float32(d * float32(aux[l]))
		}
	}
	var sum float32
	for _, s := range sums {
		sum += s
	}
	return sum
}

func dotQ4_KQ8_K(n int, w []byte, act []byte) float32 {
	var sums [8]float32
	var sum float32
	for i := 0; i < n/qkK; i++ {
		x := (*[144]byte)(w[i*144:])
		y := q8Kblock(act, i)
		var aux [8]int32
		var summ int32
		for c := 0; c < 4; c++ {
			sc1, m1 := scaleMinK4(2*c, x[4:16])
			sc2, m2 := scaleMinK4(2*c+1, x[4:16])
			summ += (bsum(y, 4*c)+bsum(y, 4*c+1))*int32(m1) + (bsum(y, 4*c+2)+bsum(y, 4*c+3))*int32(m2)
			q := (*[32]byte)(x[16+32*c:])
			y1 := (*[32]byte)(y[4+64*c:])
			y2 := (*[32]byte)(y[4+64*c+32:])
			for k := 0; k < 8; k++ {
				lo := int32(q[k]&0xF)*int32(int8(y1[k])) + int32(q[k+8]&0xF)*int32(int8(y1[k+8])) +
					int32(q[k+16]&0xF)*int32(int8(y1[k+16])) + int32(q[k+24]&0xF)*int32(int8(y1[k+24]))
				hi := int32(q[k]>>4)*int32(int8(y2[k])) + int32(q[k+8]>>4)*int32(int8(y2[k+8])) +
					int32(q[k+16]>>4)*int32(int8(y2[k+16])) + int32(q[k+24]>>4)*int32(int8(y2[k+24]))
				aux[k] += int32(sc1)*lo + int32(sc2)*hi
			}
		}
		yd := q8Kd(y)
		d := f16ToF32(le16(x[:])) * yd
		for l := range sums {
			sums[l] += float32(d * float32(aux[l]))
		}
		dmin := f16ToF32(le16(x[2:])) * yd
		sum -= float32(dmin * float32(summ))
	}
	for _, s := range sums {
		sum += s
	}
	return sum
}

func dotQ5_KQ8_K(n int, w []byte, act []byte) float32 {
	var sums [8]float32
	var sum float32
	for i := 0; i < n/qkK; i++ {
		x := (*[176]byte)(w[i*176:])
		y := q8Kblock(act, i)
		qh := (*[32]byte)(x[16:])
		var aux [8]int32
		var summ int32
		for c := 0; c < 4; c++ {
			sc1, m1 := scaleMinK4(2*c, x[4:16])
			sc2, m2 := scaleMinK4(2*c+1, x[4:16])
			summ += (bsum(y, 4*c)+bsum(y, 4*c+1))*int32(m1) + (bsum(y, 4*c+2)+bsum(y, 4*c+3))*int32(m2)
			q := (*[32]byte)(x[48+32*c:])
			y1 := (*[32]byte)(y[4+64*c:])
			y2 := (*[32]byte)(y[4+64*c+32:])
			b1, b2 := 2*c, 2*c+1
			lo := func(l int) int32 { return int32(q[l]&0xF | (qh[l]>>b1)&1<<4) }
			hi := func(l int) int32 { return int32(q[l]>>4 | (qh[l]>>b2)&1<<4) }
			for k := 0; k < 8; k++ {
				p1 := lo(k)*int32(int8(y1[k])) + lo(k+8)*int32(int8(y1[k+8])) +
					lo(k+16)*int32(int8(y1[k+16])) + lo(k+24)*int32(int8(y1[k+24]))
				p2 := hi(k)*int32(int8(y2[k])) + hi(k+8)*int32(int8(y2[k+8])) +
					hi(k+16)*int32(int8(y2[k+16])) + hi(k+24)*int32(int8(y2[k+24]))
				aux[k] += int32(sc1)*p1 + int32(sc2)*p2
			}
		}
		yd := q8Kd(y)
		d := f16ToF32(le16(x[:])) * yd
		for l := range sums {
			sums[l] += float32(d * float32(aux[l]))
		}
		dmin := f16ToF32(le16(x[2:])) * yd
		sum -= float32(dmin * float32(summ))
	}
	for _, s := range sums {
		sum += s
	}
	return sum
}

func dotQ6_KQ8_K(n int, w []byte, act []byte) float32 {
	var sums [8]float32
	for i := 0; i < n/qkK; i++ {
		x := (*[210]byte)(w[i*210:])
		y := q8Kblock(act, i)
		var aux [8]int32
		for h := 0; h < 2; h++ {
			ql := (*[64]byte)(x[64*h:])
			qh := (*[32]byte)(x[128+32*h:])
			sc := (*[8]byte)(x[192+8*h:])
			ys := (*[128]byte)(y[4+128*h:])
			for g := 0; g < 4; g++ {
				is := g / 2
				s1, s2 := int32(int8(sc[is])), int32(int8(sc[is+2]))
				s3, s4 := int32(int8(sc[is+4])), int32(int8(sc[is+6]))
				for k := 0; k < 8; k++ {
					l := k + 8*g
					q1 := int32(ql[l]&0xF|(qh[l]&3)<<4) - 32
					q2 := int32(ql[l+32]&0xF|(qh[l]>>2&3)<<4) - 32
					q3 := int32(ql[l]>>4|(qh[l]>>4&3)<<4) - 32
					q4 := int32(ql[l+32]>>4|(qh[l]>>6)<<4) - 32
					aux[k] += s1*q1*int32(int8(ys[l])) + s2*q2*int32(int8(ys[l+32])) +
						s3*q3*int32(int8(ys[l+64])) + s4*q4*int32(int8(ys[l+96]))
				}
			}
		}
		d := f16ToF32(le16(x[208:])) * q8Kd(y)
		for l := range sums {
			sums[l] += float32(d * float32(aux[l]))
		}
	}
	var sum float32
	for _, s := range sums {
		sum += s
	}
	return sum
}
