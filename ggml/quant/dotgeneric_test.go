package quant

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The dot products as first written: a line-by-line transcription of the
// structure of ggml's generic vec_dot code (unpack a super-block to int8,
// then 8 int32 lanes). They are the oracle for the fused versions in
// kdot.go and q32.go, which must give the same float32 bits.

// laneDot16Generic adds sc * a[e]*q8[e] to aux[e%8] for the 16 elements of a
// sub-block (a and q8 hold those 16 elements).
func laneDot16Generic(aux *[8]int32, sc int32, a []int8, q8 []byte) {
	a, q8 = a[:16], q8[:16]
	for l := 0; l < 8; l++ {
		aux[l] += sc * (int32(a[l])*int32(int8(q8[l])) + int32(a[l+8])*int32(int8(q8[l+8])))
	}
}

func dotQ2_KQ8_KGeneric(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qkK; i++ {
		x := w[i*84 : i*84+84]
		yd, q8, bs := q8K(act[i*292 : i*292+292])
		var summs int32
		for k := 0; k < 16; k++ {
			summs += bsumGeneric(bs, k) * int32(x[k]>>4)
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

func dotQ3_KQ8_KGeneric(n int, w []byte, act []byte) float32 {
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
			laneDot16Generic(&aux, q3Scale(k, x[96:108]), a[16*k:], q8[16*k:])
		}
		d := f16ToF32(le16(x[108:])) * yd
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

func dotQ4_KQ8_KGeneric(n int, w []byte, act []byte) float32 {
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
			summ += (bsumGeneric(bs, 2*j) + bsumGeneric(bs, 2*j+1)) * int32(m)
			laneDot16Generic(&aux, int32(sc), a[32*j:], q8[32*j:])
			laneDot16Generic(&aux, int32(sc), a[32*j+16:], q8[32*j+16:])
		}
		d := f16ToF32(le16(x)) * yd
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

func dotQ5_KQ8_KGeneric(n int, w []byte, act []byte) float32 {
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
			summ += (bsumGeneric(bs, 2*j) + bsumGeneric(bs, 2*j+1)) * int32(m)
			laneDot16Generic(&aux, int32(sc), a[32*j:], q8[32*j:])
			laneDot16Generic(&aux, int32(sc), a[32*j+16:], q8[32*j+16:])
		}
		d := f16ToF32(le16(x)) * yd
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

func dotQ6_KQ8_KGeneric(n int, w []byte, act []byte) float32 {
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
			laneDot16Generic(&aux, int32(int8(x[192+k])), a[16*k:], q8[16*k:])
		}
		d := f16ToF32(le16(x[208:])) * yd
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

func dotQ4_0Q8_0Generic(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := w[i*18 : i*18+18]
		y := act[i*34 : i*34+34]
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			s0 += (int32(x[2+j]&0xF) - 8) * int32(int8(y[2+j]))
			s1 += (int32(x[2+j]>>4) - 8) * int32(int8(y[18+j]))
		}
		sum += float32(float32(float32(s0+s1)*f16ToF32(le16(x))) * f16ToF32(le16(y)))
	}
	return sum
}

func dotQ4_1Q8_1Generic(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := w[i*20 : i*20+20]
		y := act[i*36 : i*36+36]
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			s0 += int32(x[4+j]&0xF) * int32(int8(y[4+j]))
			s1 += int32(x[4+j]>>4) * int32(int8(y[20+j]))
		}
		dd := f16ToF32(le16(x)) * f16ToF32(le16(y))
		ms := f16ToF32(le16(x[2:])) * f16ToF32(le16(y[2:]))
		sum += float32(float32(dd*float32(s0+s1)) + ms)
	}
	return sum
}

func dotQ5_0Q8_0Generic(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := w[i*22 : i*22+22]
		y := act[i*34 : i*34+34]
		qh := le32(x[2:])
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			h0 := int32((qh >> j << 4) & 0x10)
			h1 := int32((qh >> (j + 12)) & 0x10)
			s0 += ((int32(x[6+j]&0xF) | h0) - 16) * int32(int8(y[2+j]))
			s1 += ((int32(x[6+j]>>4) | h1) - 16) * int32(int8(y[18+j]))
		}
		sum += float32(float32(f16ToF32(le16(x))*f16ToF32(le16(y))) * float32(s0+s1))
	}
	return sum
}

func dotQ5_1Q8_1Generic(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := w[i*24 : i*24+24]
		y := act[i*36 : i*36+36]
		qh := le32(x[4:])
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			h0 := int32((qh >> j << 4) & 0x10)
			h1 := int32((qh >> (j + 12)) & 0x10)
			s0 += (int32(x[8+j]&0xF) | h0) * int32(int8(y[4+j]))
			s1 += (int32(x[8+j]>>4) | h1) * int32(int8(y[20+j]))
		}
		dd := f16ToF32(le16(x)) * f16ToF32(le16(y))
		ms := f16ToF32(le16(x[2:])) * f16ToF32(le16(y[2:]))
		sum += float32(float32(dd*float32(s0+s1)) + ms)
	}
	return sum
}

func dotQ8_0Q8_0Generic(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := w[i*34 : i*34+34]
		y := act[i*34 : i*34+34]
		var s int32
		for j := 0; j < qk; j++ {
			s += int32(int8(x[2+j])) * int32(int8(y[2+j]))
		}
		sum += float32(float32(s) * float32(f16ToF32(le16(x))*f16ToF32(le16(y))))
	}
	return sum
}

// q8K returns the float32 d, the int8 quants and the bsums of a q8_K block.
func q8K(b []byte) (d float32, q []byte, bsums []byte) {
	return math.Float32frombits(le32(b)), b[4:260], b[260:292]
}

func bsumGeneric(bs []byte, k int) int32 { return int32(int16(le16(bs[2*k:]))) }

// TestFusedDotsMatchGeneric: every fused dot gives the same float32 bits
// as its unfused transcription, on quantized Gaussian rows and on random
// bytes (any bit pattern is a valid block; F16 scales that decode to
// Inf/NaN are excluded by forcing unit scales).
func TestFusedDotsMatchGeneric(t *testing.T) {
	generic := map[Type]VecDotFunc{
		Q4_0: dotQ4_0Q8_0Generic, Q4_1: dotQ4_1Q8_1Generic, Q5_0: dotQ5_0Q8_0Generic,
		Q5_1: dotQ5_1Q8_1Generic, Q8_0: dotQ8_0Q8_0Generic, Q2_K: dotQ2_KQ8_KGeneric,
		Q3_K: dotQ3_KQ8_KGeneric, Q4_K: dotQ4_KQ8_KGeneric, Q5_K: dotQ5_KQ8_KGeneric,
		Q6_K: dotQ6_KQ8_KGeneric,
	}
	r := rand.New(rand.NewPCG(21, 22))
	const n = 1024
	for typ, gen := range generic {
		t.Run(typ.String(), func(t *testing.T) {
			tr, _ := typ.Traits()
			for it := 0; it < 30; it++ {
				var w, a []byte
				if it%2 == 0 {
					w = make([]byte, mustRowSize(t, typ, n))
					Quantize(typ, gaussian(r, n, 0.02), w)
					a = make([]byte, mustRowSize(t, tr.VecDotType, n))
					QuantizeActivation(tr.VecDotType, gaussian(r, n, 1), a)
				} else {
					w = randomUnitBlocks(r, typ, n)
					a = randomUnitAct(r, tr.VecDotType, n)
				}
				if got, want := tr.RefVecDot(n, w, a), gen(n, w, a); math.Float32bits(got) != math.Float32bits(want) {
					t.Fatalf("iteration %d: fused %g, generic %g", it, got, want)
				}
			}
		})
	}
}
