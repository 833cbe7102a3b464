package quant

import "math"

// The K-quant formats: super-blocks of 256 elements split into sub-blocks
// of 16 or 32, each sub-block with its own small integer scale (and min)
// that multiplies the super-block's binary16 d (and dmin). Offsets are
// bytes; "element e" is the e-th of the block's 256 values.
//
// block_q2_K, 84 bytes: x = d*sc*q - dmin*m, q in 0..3, 16 sub-blocks of 16
//
//	0            16           80     82     84
//	| scales[16] | qs[64]     | d    | dmin |
//	scales[k] = sc | m<<4 (4 bits each) for sub-block k (elements 16k..16k+15)
//	element 128h + 32s + l (l < 32) is bits 2s..2s+1 of qs[32h + l]
//
// block_q3_K, 110 bytes: x = d*(sc-32)*(q-4), q in 0..7, 16 sub-blocks of 16
//
//	0            32           96           108    110
//	| hmask[32]  | qs[64]     | scales[12] | d    |
//	element 128h + 32s + l: low 2 bits = bits 2s..2s+1 of qs[32h + l],
//	                        bit 2      = bit 4h+s of hmask[l]
//	scale k (6 bits): low 4 = scales[k] & 15 (k < 8) or scales[k-8] >> 4,
//	                  high 2 = bits 2(k/4)..2(k/4)+1 of scales[8 + k%4]
//
// block_q4_K, 144 bytes: x = d*sc*q - dmin*m, q in 0..15, 8 sub-blocks of 32
//
//	0      2      4            16                       144
//	| d    | dmin | scales[12] | qs[128]                 |
//	element 64c + l (l < 32) is the low nibble of qs[32c + l],
//	element 64c + 32 + l the high nibble
//	sc, m of sub-block j (6 bits each, s = scales):
//	  j < 4:  sc = s[j] & 63,                   m = s[j+4] & 63
//	  j >= 4: sc = s[j+4]&15 | (s[j-4]>>6)<<4,  m = s[j+4]>>4 | (s[j]>>6)<<4
//
// block_q5_K, 176 bytes: as q4_K with a fifth bit, q in 0..31
//
//	0      2      4            16          48           176
//	| d    | dmin | scales[12] | qh[32]    | qs[128]    |
//	bit 4 of element 64c + l is bit 2c of qh[l], of 64c + 32 + l bit 2c+1
//
// block_q6_K, 210 bytes: x = d*sc*(q-32), q in 0..63, 16 sub-blocks of 16
//
//	0                 128         192              208    210
//	| ql[128]         | qh[64]    | scales[16] i8  | d    |
//	element 128h + 32s + l (l < 32): low 4 bits in ql[64h + 32(s&1) + l]
//	(low nibble for s < 2, high nibble for s >= 2), high 2 bits are bits
//	2s..2s+1 of qh[32h + l]
//
// block_q8_K, 292 bytes (activations): x = d*q
//
//	0      4                    260                 292
//	| d f32| qs[256] int8       | bsums[16] int16   |
//	bsums[k] = sum of qs[16k..16k+15]
const qkK = 256

// scaleMinK4 returns the 6-bit scale and min of sub-block j (0..7) of a
// q4_K or q5_K block from its 12 packed bytes s.
func scaleMinK4(j int, s []byte) (sc, m uint8) {
	if j < 4 {
		return s[j] & 63, s[j+4] & 63
	}
	return s[j+4]&0xF | (s[j-4]>>6)<<4, s[j+4]>>4 | (s[j]>>6)<<4
}

// q3Scale returns the signed scale (-32..31) of sub-block k of a q3_K
// block from its 12 packed bytes s.
func q3Scale(k int, s []byte) int32 {
	var lo uint8
	if k < 8 {
		lo = s[k] & 0xF
	} else {
		lo = s[k-8] >> 4
	}
	hi := (s[8+k%4] >> (2 * (k / 4))) & 3
	return int32(lo|hi<<4) - 32
}

func dequantQ2_K(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qkK; i++ {
		b := src[i*84 : i*84+84]
		y := dst[i*qkK : i*qkK+qkK]
		d, dmin := f16ToF32(le16(b[80:])), f16ToF32(le16(b[82:]))
		for e := range y {
			h, s, l := e/128, (e/32)%4, e%32
			sc := b[e/16]
			q := (b[16+32*h+l] >> (2 * s)) & 3
			dl := d * float32(sc&0xF)
			ml := dmin * float32(sc>>4)
			y[e] = float32(dl*float32(q)) - ml
		}
	}
}

func dequantQ3_K(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qkK; i++ {
		b := src[i*110 : i*110+110]
		y := dst[i*qkK : i*qkK+qkK]
		d := f16ToF32(le16(b[108:]))
		for e := range y {
			h, s, l := e/128, (e/32)%4, e%32
			q := int32(b[32+32*h+l]>>(2*s)) & 3
			if b[l]&(1<<(4*h+s)) == 0 {
				q -= 4
			}
			dl := d * float32(q3Scale(e/16, b[96:108]))
			y[e] = dl * float32(q)
		}
	}
}

func dequantQ4_K(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qkK; i++ {
		b := src[i*144 : i*144+144]
		y := dst[i*qkK : i*qkK+qkK]
		d, dmin := f16ToF32(le16(b)), f16ToF32(le16(b[2:]))
		for c := 0; c < 4; c++ {
			sc1, m1 := scaleMinK4(2*c, b[4:16])
			sc2, m2 := scaleMinK4(2*c+1, b[4:16])
			d1, dm1 := d*float32(sc1), dmin*float32(m1)
			d2, dm2 := d*float32(sc2), dmin*float32(m2)
			q := b[16+32*c : 16+32*c+32]
			for l := 0; l < 32; l++ {
				y[64*c+l] = float32(d1*float32(q[l]&0xF)) - dm1
				y[64*c+32+l] = float32(d2*float32(q[l]>>4)) - dm2
			}
		}
	}
}

func dequantQ5_K(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qkK; i++ {
		b := src[i*176 : i*176+176]
		y := dst[i*qkK : i*qkK+qkK]
		d, dmin := f16ToF32(le16(b)), f16ToF32(le16(b[2:]))
		qh := b[16:48]
		for c := 0; c < 4; c++ {
			sc1, m1 := scaleMinK4(2*c, b[4:16])
			sc2, m2 := scaleMinK4(2*c+1, b[4:16])
			d1, dm1 := d*float32(sc1), dmin*float32(m1)
			d2, dm2 := d*float32(sc2), dmin*float32(m2)
			q := b[48+32*c : 48+32*c+32]
			for l := 0; l < 32; l++ {
				q1 := q[l]&0xF | ((qh[l]>>(2*c))&1)<<4
				q2 := q[l]>>4 | ((qh[l]>>(2*c+1))&1)<<4
				y[64*c+l] = float32(d1*float32(q1)) - dm1
				y[64*c+32+l] = float32(d2*float32(q2)) - dm2
			}
		}
	}
}

// q6Quant returns element e (0..255) of a q6_K block as 0..63.
func q6Quant(b []byte, e int) int32 {
	h, s, l := e/128, (e/32)%4, e%32
	lo := b[64*h+32*(s&1)+l]
	if s >= 2 {
		lo >>= 4
	}
	hi := (b[128+32*h+l] >> (2 * s)) & 3
	return int32(lo&0xF | hi<<4)
}

func dequantQ6_K(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qkK; i++ {
		b := src[i*210 : i*210+210]
		y := dst[i*qkK : i*qkK+qkK]
		d := f16ToF32(le16(b[208:]))
		for e := range y {
			sc := float32(int8(b[192+e/16]))
			y[e] = float32(d*sc) * float32(q6Quant(b, e)-32)
		}
	}
}

func dequantQ8_K(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qkK; i++ {
		b := src[i*292 : i*292+292]
		y := dst[i*qkK : i*qkK+qkK]
		d := math.Float32frombits(le32(b))
		for e := range y {
			y[e] = d * float32(int8(b[4+e]))
		}
	}
}
