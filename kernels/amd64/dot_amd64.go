package amd64

// Block sizes in bytes of the formats the kernels read (ggml's layouts).
const (
	sizeQ8_0 = 34  // d f16 | qs [32]int8
	sizeQ8_K = 292 // d f32 | qs [256]int8 | bsums [16]int16
	sizeQ4_K = 144 // d f16 | dmin f16 | scales [12]u8 | qs [128]u8
	sizeQ6_K = 210 // ql [128]u8 | qh [64]u8 | scales [16]int8 | d f16
	sizeQ2_K = 84  // scales [16]u8 | qs [64]u8 | d f16 | dmin f16
	sizeQ3_K = 110 // hmask [32]u8 | qs [64]u8 | scales [12]u8 | d f16
	sizeQ5_K = 176 // d f16 | dmin f16 | scales [12]u8 | qh [32]u8 | qs [128]u8
)

//go:noescape
func dotQ2_K(nb int, w, a *byte) float32

//go:noescape
func dotQ3_K(nb int, w, a *byte) float32

//go:noescape
func dotQ5_K(nb int, w, a *byte) float32

// DotQ2_K is the Q2_K x Q8_K dot product (n a multiple of 256).
func DotQ2_K(n int, w, act []byte) float32 {
	return blockDot(dotQ2_K, n, 256, sizeQ2_K, sizeQ8_K, w, act)
}

// DotQ3_K is the Q3_K x Q8_K dot product (n a multiple of 256).
func DotQ3_K(n int, w, act []byte) float32 {
	return blockDot(dotQ3_K, n, 256, sizeQ3_K, sizeQ8_K, w, act)
}

// DotQ5_K is the Q5_K x Q8_K dot product (n a multiple of 256).
func DotQ5_K(n int, w, act []byte) float32 {
	return blockDot(dotQ5_K, n, 256, sizeQ5_K, sizeQ8_K, w, act)
}

//go:noescape
func dotQ8_0(nb int, w, a *byte) float32

// DotQ8_0 is the Q8_0 x Q8_0 dot product (n a multiple of 32).
func DotQ8_0(n int, w, act []byte) float32 {
	nb := n / 32
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ8_0]
	act = act[:nb*sizeQ8_0]
	return dotQ8_0(nb, &w[0], &act[0])
}

//go:noescape
func dotQ4_K(nb int, w, a *byte) float32

// DotQ4_K is the Q4_K x Q8_K dot product (n a multiple of 256).
func DotQ4_K(n int, w, act []byte) float32 {
	nb := n / 256
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ4_K]
	act = act[:nb*sizeQ8_K]
	return dotQ4_K(nb, &w[0], &act[0])
}

//go:noescape
func dotQ6_K(nb int, w, a *byte) float32

// DotQ6_K is the Q6_K x Q8_K dot product (n a multiple of 256).
func DotQ6_K(n int, w, act []byte) float32 {
	nb := n / 256
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ6_K]
	act = act[:nb*sizeQ8_K]
	return dotQ6_K(nb, &w[0], &act[0])
}

// wSize is the bytes per block of each weight type.
var wSize = map[uint32]int{
	typeF32: 4, typeF16: 2, typeBF16: 2,
	typeQ4_0: sizeQ4_0, typeQ4_1: sizeQ4_1, typeQ5_0: sizeQ5_0, typeQ5_1: sizeQ5_1, typeQ8_0: sizeQ8_0,
	typeQ2_K: sizeQ2_K, typeQ3_K: sizeQ3_K, typeQ4_K: sizeQ4_K, typeQ5_K: sizeQ5_K, typeQ6_K: sizeQ6_K,
}

func init() {
	if !hasAVX2 {
		return
	}
	for _, k := range []Kernel{
		{Type: typeF32, Name: "f32", ActType: typeF32, BlockSize: 1, Dot: DotF32},
		{Type: typeF16, Name: "f16", ActType: typeF16, BlockSize: 1, Dot: DotF16},
		{Type: typeBF16, Name: "bf16", ActType: typeBF16, BlockSize: 1, Dot: DotBF16},
		{Type: typeQ8_0, Name: "q8_0", ActType: typeQ8_0, BlockSize: 32, Dot: DotQ8_0},
		{Type: typeQ4_0, Name: "q4_0", ActType: typeQ8_0, BlockSize: 32, Dot: DotQ4_0},
		{Type: typeQ4_1, Name: "q4_1", ActType: typeQ8_1, BlockSize: 32, Dot: DotQ4_1},
		{Type: typeQ5_0, Name: "q5_0", ActType: typeQ8_0, BlockSize: 32, Dot: DotQ5_0},
		{Type: typeQ5_1, Name: "q5_1", ActType: typeQ8_1, BlockSize: 32, Dot: DotQ5_1},
		{Type: typeQ2_K, Name: "q2_K", ActType: typeQ8_K, BlockSize: 256, Dot: DotQ2_K},
		{Type: typeQ3_K, Name: "q3_K", ActType: typeQ8_K, BlockSize: 256, Dot: DotQ3_K},
		{Type: typeQ4_K, Name: "q4_K", ActType: typeQ8_K, BlockSize: 256, Dot: DotQ4_K},
		{Type: typeQ5_K, Name: "q5_K", ActType: typeQ8_K, BlockSize: 256, Dot: DotQ5_K},
		{Type: typeQ6_K, Name: "q6_K", ActType: typeQ8_K, BlockSize: 256, Dot: DotQ6_K},
	} {
		bs, size := k.BlockSize, wSize[k.Type]
		k.DotRows = rowsOf(k.Dot, func(n int) int { return n / bs * size })
		k.DotTokens = tokensOf(k.Dot)
		if x, ok := x4Kernels[k.Type]; ok {
			k.DotTokens = tokensX4(x.x4, k.Dot, k.BlockSize, x.wSize, x.aSize)
		}
		dots[k.Type] = k
	}
	quantizers[typeQ8_0] = Quantizer{Type: typeQ8_0, Name: "q8_0", BlockSize: 32, Quantize: QuantizeQ8_0}
	quantizers[typeQ8_K] = Quantizer{Type: typeQ8_K, Name: "q8_K", BlockSize: 256, Quantize: QuantizeQ8_K}
}
