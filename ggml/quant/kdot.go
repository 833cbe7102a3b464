package quant

import "math"

// The K-quant dot products against Q8_K activations follow ggml's generic
// code: the weights of a super-block are unpacked to small integers, the
// products with the int8 activations are summed exactly in int32 (in 8
// lanes, element e going to lane e%8, as ggml's aux32), and only then
// scaled by the float super-block scales.

// q8K returns the float32 d, the int8 quants and the bsums of a q8_K block.
func q8K(b []byte) (d float32, q []byte, bsums []byte) {
	return math.Float32frombits(le32(b)), b[4:260], b[260:292]
}

func bsum(bs []byte, k int) int32 { return int32(int16(le16(bs[2*k:]))) }

// laneDot adds sc * a[e]*q8[e] to aux[e%8] for the 16 elements of a
// sub-block (a and q8 hold those 16 elements).
func laneDot16(aux *[8]int32, sc int32, a []int8, q8 []byte) {
	a, q8 = a[:16], q8[:16]
	for l := 0; l < 8; l++ {
		aux[l] += sc * (int32(a[l])*int32(int8(q8[l])) + int32(a[l+8])*int32(int8(q8[l+8])))
	}
}

func dotQ2_KQ8_K(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qkK; i++ {
		x := w[i*84 : i*84+84]
		yd, q8, bs := q8K(act[i*292 : i*292+292])
		var summs int32
		for k := 0; k < 16; k++ {
			summs += bsum(bs, k) * int32(x[k]>>4)
		}
		dall := yd * f16ToF32(le16(x[80:]))
		dmin := yd * f16ToF32(le16(x[82:]))
		var isum int32
		for h := 0; h < 2; h++ {
			q2 := x[16+32*h : 16+32*h+32]
			for s := 0; s < 4; s++ {
				e := 128*h + 32*s
				var lo, hi int32
				for l := 0; l < 16; l++ {
					lo += int32(int8(q8[e+l])) * int32((q2[l]>>(2*s))&3)
					hi += int32(int8(q8[e+16+l])) * int32((q2[l+16]>>(2*s))&3)
				}
				isum += int32(x[e/16]&0xF)*lo + int32(x[e/16+1]&0xF)*hi
			}
		}
		sum += float32(dall*float32(isum)) - float32(dmin*float32(summs))
	}
	return sum
}

func dotQ3_KQ8_K(n int, w []byte, act []byte) float32 {
	var sums [8]float32
	var a [qkK]int8
	for i := 0; i < n/qkK; i++ {
		x := w[i*110 : i*110+110]
		yd, q8, _ := q8K(act[i*292 : i*292+292])
		for h := 0; h < 2; h++ {
			for s := 0; s < 4; s++ {
				for l := 0; l < 32; l++ {
					v := int8(x[32+32*h+l]>>(2*s)) & 3
					if x[l]&(1<<(4*h+s)) == 0 {
						v -= 4
					}
					a[128*h+32*s+l] = v
				}
			}
		}
		var aux [8]int32
		for k := 0; k < 16; k++ {
			laneDot16(&aux, q3Scale(k, x[96:108]), a[16*k:], q8[16*k:])
		}
		d := f16ToF32(le16(x[108:])) * yd
		for l := range sums {
			sums[l] += d * float32(aux[l])
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
	var a [qkK]int8
	for i := 0; i < n/qkK; i++ {
		x := w[i*144 : i*144+144]
		yd, q8, bs := q8K(act[i*292 : i*292+292])
		for c := 0; c < 4; c++ {
			q := x[16+32*c : 16+32*c+32]
			for l := 0; l < 32; l++ {
				a[64*c+l] = int8(q[l] & 0xF)
				a[64*c+32+l] = int8(q[l] >> 4)
			}
		}
		var aux [8]int32
		var summ int32
		for j := 0; j < 8; j++ {
			sc, m := scaleMinK4(j, x[4:16])
			summ += (bsum(bs, 2*j) + bsum(bs, 2*j+1)) * int32(m)
			laneDot16(&aux, int32(sc), a[32*j:], q8[32*j:])
			laneDot16(&aux, int32(sc), a[32*j+16:], q8[32*j+16:])
		}
		d := f16ToF32(le16(x)) * yd
		for l := range sums {
			sums[l] += d * float32(aux[l])
		}
		dmin := f16ToF32(le16(x[2:])) * yd
		sum -= dmin * float32(summ)
	}
	for _, s := range sums {
		sum += s
	}
	return sum
}

func dotQ5_KQ8_K(n int, w []byte, act []byte) float32 {
	var sums [8]float32
	var sum float32
	var a [qkK]int8
	for i := 0; i < n/qkK; i++ {
		x := w[i*176 : i*176+176]
		yd, q8, bs := q8K(act[i*292 : i*292+292])
		qh := x[16:48]
		for c := 0; c < 4; c++ {
			q := x[48+32*c : 48+32*c+32]
			for l := 0; l < 32; l++ {
				a[64*c+l] = int8(q[l]&0xF | ((qh[l]>>(2*c))&1)<<4)
				a[64*c+32+l] = int8(q[l]>>4 | ((qh[l]>>(2*c+1))&1)<<4)
			}
		}
		var aux [8]int32
		var summ int32
		for j := 0; j < 8; j++ {
			sc, m := scaleMinK4(j, x[4:16])
			summ += (bsum(bs, 2*j) + bsum(bs, 2*j+1)) * int32(m)
			laneDot16(&aux, int32(sc), a[32*j:], q8[32*j:])
			laneDot16(&aux, int32(sc), a[32*j+16:], q8[32*j+16:])
		}
		d := f16ToF32(le16(x)) * yd
		for l := range sums {
			sums[l] += d * float32(aux[l])
		}
		dmin := f16ToF32(le16(x[2:])) * yd
		sum -= dmin * float32(summ)
	}
	for _, s := range sums {
		sum += s
	}
	return sum
}

func dotQ6_KQ8_K(n int, w []byte, act []byte) float32 {
	var sums [8]float32
	var a [qkK]int8
	for i := 0; i < n/qkK; i++ {
		x := w[i*210 : i*210+210]
		yd, q8, _ := q8K(act[i*292 : i*292+292])
		for h := 0; h < 2; h++ {
			ql := x[64*h : 64*h+64]
			qh := x[128+32*h : 128+32*h+32]
			for l := 0; l < 32; l++ {
				a[128*h+l] = int8(ql[l]&0xF|(qh[l]&3)<<4) - 32
				a[128*h+32+l] = int8(ql[l+32]&0xF|((qh[l]>>2)&3)<<4) - 32
				a[128*h+64+l] = int8(ql[l]>>4|((qh[l]>>4)&3)<<4) - 32
				a[128*h+96+l] = int8(ql[l+32]>>4|((qh[l]>>6)&3)<<4) - 32
			}
		}
		var aux [8]int32
		for k := 0; k < 16; k++ {
			laneDot16(&aux, int32(int8(x[192+k])), a[16*k:], q8[16*k:])
		}
		d := f16ToF32(le16(x[208:])) * yd
		for l := range sums {
			sums[l] += d * float32(aux[l])
		}
	}
	var sum float32
	for _, s := range sums {
		sum += s
	}
	return sum
}
