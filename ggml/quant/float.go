package quant

import (
	"encoding/binary"
	"math"

	"github.com/x448/float16"
)

// The float formats have one element per "block":
//
//	f32:  | IEEE binary32, little-endian (4 bytes) |
//	f16:  | IEEE binary16, little-endian (2 bytes) |  s eeeee mmmmmmmmmm
//	bf16: | bfloat16, little-endian (2 bytes)      |  s eeeeeeee mmmmmmm
//	        (the top half of a binary32)

// f16Table maps every binary16 bit pattern to its exact float32 value, as
// ggml's table_f32_f16 does; filled at init.
var f16Table [1 << 16]float32

func init() {
	for i := range f16Table {
		f16Table[i] = float16.Frombits(uint16(i)).Float32()
	}
}

// f16ToF32 returns the float32 value of the binary16 bits h (exact).
func f16ToF32(h uint16) float32 { return f16Table[h] }

// f32ToF16 rounds f to binary16 bits, to nearest with ties to even (as the
// F16C instruction ggml uses on x86).
func f32ToF16(f float32) uint16 { return float16.Fromfloat32(f).Bits() }

// f16Round returns f rounded to binary16 and back.
func f16Round(f float32) float32 { return f16Table[f32ToF16(f)] }

// bf16ToF32 returns the float32 value of the bfloat16 bits h (exact).
func bf16ToF32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

// f32ToBF16 rounds f to bfloat16 bits, to nearest with ties to even; a NaN
// stays a NaN (made quiet), as ggml's GGML_FP32_TO_BF16.
func f32ToBF16(f float32) uint16 {
	u := math.Float32bits(f)
	if u&0x7fffffff > 0x7f800000 {
		return uint16(u>>16) | 64
	}
	return uint16((u + 0x7fff + (u>>16)&1) >> 16)
}

// le16 reads a little-endian uint16 at b[0:2].
func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }

// put16 writes v little-endian at b[0:2].
func put16(b []byte, v uint16) { binary.LittleEndian.PutUint16(b, v) }

func dequantF32(src []byte, dst []float32) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
	}
}

func quantF32(src []float32, dst []byte) {
	for i, v := range src {
		binary.LittleEndian.PutUint32(dst[4*i:], math.Float32bits(v))
	}
}

func dequantF16(src []byte, dst []float32) {
	for i := range dst {
		dst[i] = f16Table[le16(src[2*i:])]
	}
}

func quantF16(src []float32, dst []byte) {
	for i, v := range src {
		put16(dst[2*i:], f32ToF16(v))
	}
}

func dequantBF16(src []byte, dst []float32) {
	for i := range dst {
		dst[i] = bf16ToF32(le16(src[2*i:]))
	}
}

func quantBF16(src []float32, dst []byte) {
	for i, v := range src {
		put16(dst[2*i:], f32ToBF16(v))
	}
}

// dotF32 is ggml_vec_dot_f32's generic form: float32 products summed in
// float64, the sum rounded to float32.
func dotF32(n int, w []byte, act []byte) float32 {
	w, act = w[:4*n], act[:4*n]
	var sum float64
	for i := 0; i < 4*n; i += 4 {
		a := math.Float32frombits(binary.LittleEndian.Uint32(w[i:]))
		b := math.Float32frombits(binary.LittleEndian.Uint32(act[i:]))
		sum += float64(float32(a * b))
	}
	return float32(sum)
}

// dotF16 is ggml_vec_dot_f16's generic form (both operands binary16).
func dotF16(n int, w []byte, act []byte) float32 {
	w, act = w[:2*n], act[:2*n]
	var sum float64
	for i := 0; i < 2*n; i += 2 {
		sum += float64(float32(f16Table[le16(w[i:])] * f16Table[le16(act[i:])]))
	}
	return float32(sum)
}

// dotBF16 is ggml_vec_dot_bf16's generic form (both operands bfloat16).
func dotBF16(n int, w []byte, act []byte) float32 {
	w, act = w[:2*n], act[:2*n]
	var sum float64
	for i := 0; i < 2*n; i += 2 {
		sum += float64(float32(bf16ToF32(le16(w[i:])) * bf16ToF32(le16(act[i:]))))
	}
	return float32(sum)
}

// le32 reads a little-endian uint32 at b[0:4].
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

// put32 writes v little-endian at b[0:4].
func put32(b []byte, v uint32) { binary.LittleEndian.PutUint32(b, v) }
