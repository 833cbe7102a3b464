package quant

import "math"

// The 32-element block formats. (In the quantizers, float32(a*b) + c
// keeps Go from fusing a multiply-add, as it may on arm64, so the output
// is the same bytes on every architecture.)
//
// The 32-element block formats. Offsets are bytes; d, m and s are binary16,
// little-endian; quants are stored low nibble first.
//
// block_q4_0, 18 bytes: x[i] = (q[i] - 8) * d
//
//	0      2                                         18
//	| d    | qs[16]: qs[j] = q[j] | q[j+16]<<4       |
//
// block_q4_1, 20 bytes: x[i] = q[i] * d + m
//
//	0      2      4                                  20
//	| d    | m    | qs[16]: qs[j] = q[j] | q[j+16]<<4 |
//
// block_q5_0, 22 bytes: x[i] = (q[i] - 16) * d, q[i] has 5 bits
//
//	0      2            6                            22
//	| d    | qh (u32 LE)| qs[16]: low 4 bits, as q4_0 |
//	qh bit j = bit 4 of q[j] (j = 0..31)
//
// block_q5_1, 24 bytes: x[i] = q[i] * d + m, q[i] has 5 bits
//
//	0      2      4            8                     24
//	| d    | m    | qh (u32 LE)| qs[16]              |
//
// block_q8_0, 34 bytes: x[i] = q[i] * d, q int8
//
//	0      2                                         34
//	| d    | qs[32] int8                             |
//
// block_q8_1, 36 bytes: x[i] = q[i] * d; s = d * sum(q) (activations only)
//
//	0      2      4                                  36
//	| d    | s    | qs[32] int8                      |
const qk = 32

// absMax returns the element of x with the largest magnitude (the first
// one on ties, sign kept) and that magnitude.
func absMax(x []float32) (maxv, amax float32) {
	for _, v := range x {
		if a := abs32(v); a > amax {
			amax, maxv = a, v
		}
	}
	return maxv, amax
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// minMax returns the smallest and largest element of x.
func minMax(x []float32) (lo, hi float32) {
	lo, hi = x[0], x[0]
	for _, v := range x[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// inv returns 1/d, or 0 for d == 0.
func inv(d float32) float32 {
	if d == 0 {
		return 0
	}
	return 1 / d
}

func dequantQ4_0(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qk; i++ {
		b := src[i*18 : i*18+18]
		d := f16ToF32(le16(b))
		y := dst[i*qk : i*qk+qk]
		for j := 0; j < 16; j++ {
			y[j] = float32(int(b[2+j]&0xF)-8) * d
			y[j+16] = float32(int(b[2+j]>>4)-8) * d
		}
	}
}

// quantQ4_0 maps the block's largest-magnitude value to -8 (so its sign
// picks the sign of d) and rounds the rest to nearest.
func quantQ4_0(src []float32, dst []byte) {
	for i := 0; i < len(src)/qk; i++ {
		x := src[i*qk : i*qk+qk]
		b := dst[i*18 : i*18+18]
		maxv, _ := absMax(x)
		d := maxv / -8
		id := inv(d)
		put16(b, f32ToF16(d))
		for j := 0; j < 16; j++ {
			q0 := min(15, int(float32(x[j]*id)+8.5))
			q1 := min(15, int(float32(x[j+16]*id)+8.5))
			b[2+j] = byte(q0) | byte(q1)<<4
		}
	}
}

func dequantQ4_1(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qk; i++ {
		b := src[i*20 : i*20+20]
		d, m := f16ToF32(le16(b)), f16ToF32(le16(b[2:]))
		y := dst[i*qk : i*qk+qk]
		for j := 0; j < 16; j++ {
			y[j] = float32(float32(b[4+j]&0xF)*d) + m
			y[j+16] = float32(float32(b[4+j]>>4)*d) + m
		}
	}
}

// quantQ4_1 spreads the block's [min, max] over 0..15.
func quantQ4_1(src []float32, dst []byte) {
	for i := 0; i < len(src)/qk; i++ {
		x := src[i*qk : i*qk+qk]
		b := dst[i*20 : i*20+20]
		lo, hi := minMax(x)
		d := (hi - lo) / 15
		id := inv(d)
		put16(b, f32ToF16(d))
		put16(b[2:], f32ToF16(lo))
		for j := 0; j < 16; j++ {
			q0 := min(15, int(float32((x[j]-lo)*id)+0.5))
			q1 := min(15, int(float32((x[j+16]-lo)*id)+0.5))
			b[4+j] = byte(q0) | byte(q1)<<4
		}
	}
}

func dequantQ5_0(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qk; i++ {
		b := src[i*22 : i*22+22]
		d := f16ToF32(le16(b))
		qh := le32(b[2:])
		y := dst[i*qk : i*qk+qk]
		for j := 0; j < 16; j++ {
			h0 := (qh >> j << 4) & 0x10
			h1 := (qh >> (j + 12)) & 0x10
			y[j] = float32(int(uint32(b[6+j]&0xF)|h0)-16) * d
			y[j+16] = float32(int(uint32(b[6+j]>>4)|h1)-16) * d
		}
	}
}

// quantQ5_0 is quantQ4_0 with 5 bits: the largest magnitude maps to -16.
func quantQ5_0(src []float32, dst []byte) {
	for i := 0; i < len(src)/qk; i++ {
		x := src[i*qk : i*qk+qk]
		b := dst[i*22 : i*22+22]
		maxv, _ := absMax(x)
		d := maxv / -16
		id := inv(d)
		put16(b, f32ToF16(d))
		var qh uint32
		for j := 0; j < 16; j++ {
			q0 := uint32(min(31, int(float32(x[j]*id)+16.5)))
			q1 := uint32(min(31, int(float32(x[j+16]*id)+16.5)))
			b[6+j] = byte(q0&0xF) | byte(q1&0xF)<<4
			qh |= (q0 >> 4) << j
			qh |= (q1 >> 4) << (j + 16)
		}
		put32(b[2:], qh)
	}
}

func dequantQ5_1(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qk; i++ {
		b := src[i*24 : i*24+24]
		d, m := f16ToF32(le16(b)), f16ToF32(le16(b[2:]))
		qh := le32(b[4:])
		y := dst[i*qk : i*qk+qk]
		for j := 0; j < 16; j++ {
			h0 := (qh >> j << 4) & 0x10
			h1 := (qh >> (j + 12)) & 0x10
			y[j] = float32(float32(uint32(b[8+j]&0xF)|h0)*d) + m
			y[j+16] = float32(float32(uint32(b[8+j]>>4)|h1)*d) + m
		}
	}
}

// quantQ5_1 spreads the block's [min, max] over 0..31.
func quantQ5_1(src []float32, dst []byte) {
	for i := 0; i < len(src)/qk; i++ {
		x := src[i*qk : i*qk+qk]
		b := dst[i*24 : i*24+24]
		lo, hi := minMax(x)
		d := (hi - lo) / 31
		id := inv(d)
		put16(b, f32ToF16(d))
		put16(b[2:], f32ToF16(lo))
		var qh uint32
		for j := 0; j < 16; j++ {
			q0 := uint32(min(31, int(float32((x[j]-lo)*id)+0.5)))
			q1 := uint32(min(31, int(float32((x[j+16]-lo)*id)+0.5)))
			b[8+j] = byte(q0&0xF) | byte(q1&0xF)<<4
			qh |= (q0 >> 4) << j
			qh |= (q1 >> 4) << (j + 16)
		}
		put32(b[4:], qh)
	}
}

func dequantQ8_0(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qk; i++ {
		b := src[i*34 : i*34+34]
		d := f16ToF32(le16(b))
		y := dst[i*qk : i*qk+qk]
		for j := range y {
			y[j] = float32(int8(b[2+j])) * d
		}
	}
}

// quantQ8_0 is ggml's reference Q8_0 quantizer for weights: d = amax/127
// and q = round(x/d), halves away from zero (the activation quantizer in
// QuantizeActivation rounds halves to even instead).
func quantQ8_0(src []float32, dst []byte) {
	for i := 0; i < len(src)/qk; i++ {
		x := src[i*qk : i*qk+qk]
		b := dst[i*34 : i*34+34]
		_, amax := absMax(x)
		d := amax / 127
		id := inv(d)
		put16(b, f32ToF16(d))
		for j, v := range x {
			b[2+j] = byte(int8(math.Round(float64(v * id))))
		}
	}
}

func dequantQ8_1(src []byte, dst []float32) {
	for i := 0; i < len(dst)/qk; i++ {
		b := src[i*36 : i*36+36]
		d := f16ToF32(le16(b))
		y := dst[i*qk : i*qk+qk]
		for j := range y {
			y[j] = float32(int8(b[4+j])) * d
		}
	}
}

// The dot products below follow ggml's generic vec_dot code: an exact
// integer sum per block, then one float multiply-add per block, in
// ggml's operand order. Blocks are taken as array pointers so the inner
// loops have no bounds checks. Every float product is rounded (float32(...))
// before it is added, so no architecture fuses it into a multiply-add and
// the reference gives the same bits everywhere.

func dotQ4_0Q8_0(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := (*[18]byte)(w[i*18:])
		y := (*[34]byte)(act[i*34:])
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			s0 += (int32(x[2+j]&0xF) - 8) * int32(int8(y[2+j]))
			s1 += (int32(x[2+j]>>4) - 8) * int32(int8(y[18+j]))
		}
		sum += float32(float32(float32(s0+s1)*f16ToF32(le16(x[:]))) * f16ToF32(le16(y[:])))
	}
	return sum
}

func dotQ4_1Q8_1(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := (*[20]byte)(w[i*20:])
		y := (*[36]byte)(act[i*36:])
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			s0 += int32(x[4+j]&0xF) * int32(int8(y[4+j]))
			s1 += int32(x[4+j]>>4) * int32(int8(y[20+j]))
		}
		dd := f16ToF32(le16(x[:])) * f16ToF32(le16(y[:]))
		ms := f16ToF32(le16(x[2:])) * f16ToF32(le16(y[2:]))
		sum += float32(float32(dd*float32(s0+s1)) + ms)
	}
	return sum
}

func dotQ5_0Q8_0(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := (*[22]byte)(w[i*22:])
		y := (*[34]byte)(act[i*34:])
		qh := le32(x[2:])
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			h0 := int32(qh>>j<<4) & 0x10
			h1 := int32(qh>>(j+12)) & 0x10
			s0 += ((int32(x[6+j]&0xF) | h0) - 16) * int32(int8(y[2+j]))
			s1 += ((int32(x[6+j]>>4) | h1) - 16) * int32(int8(y[18+j]))
		}
		sum += float32(float32(f16ToF32(le16(x[:]))*f16ToF32(le16(y[:]))) * float32(s0+s1))
	}
	return sum
}

func dotQ5_1Q8_1(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := (*[24]byte)(w[i*24:])
		y := (*[36]byte)(act[i*36:])
		qh := le32(x[4:])
		var s0, s1 int32
		for j := 0; j < 16; j++ {
			h0 := int32(qh>>j<<4) & 0x10
			h1 := int32(qh>>(j+12)) & 0x10
			s0 += (int32(x[8+j]&0xF) | h0) * int32(int8(y[4+j]))
			s1 += (int32(x[8+j]>>4) | h1) * int32(int8(y[20+j]))
		}
		dd := f16ToF32(le16(x[:])) * f16ToF32(le16(y[:]))
		ms := f16ToF32(le16(x[2:])) * f16ToF32(le16(y[2:]))
		sum += float32(float32(dd*float32(s0+s1)) + ms)
	}
	return sum
}

func dotQ8_0Q8_0(n int, w []byte, act []byte) float32 {
	var sum float32
	for i := 0; i < n/qk; i++ {
		x := (*[34]byte)(w[i*34:])
		y := (*[34]byte)(act[i*34:])
		var s0, s1, s2, s3 int32
		for j := 2; j < 34; j += 4 {
			s0 += int32(int8(x[j])) * int32(int8(y[j]))
			s1 += int32(int8(x[j+1])) * int32(int8(y[j+1]))
			s2 += int32(int8(x[j+2])) * int32(int8(y[j+2]))
			s3 += int32(int8(x[j+3])) * int32(int8(y[j+3]))
		}
		sum += float32(float32(s0+s1+s2+s3) * float32(f16ToF32(le16(x[:]))*f16ToF32(le16(y[:]))))
	}
	return sum
}
