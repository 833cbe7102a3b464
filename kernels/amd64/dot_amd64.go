package amd64

import "github.com/limnx/limnx/kernels"

// Block sizes in bytes of the formats the kernels read (ggml's layouts).
const (
	sizeQ4_0 = 18  // d f16 | qs [16]u8
	sizeQ4_1 = 20  // d f16 | m f16 | qs [16]u8
	sizeQ5_0 = 22  // d f16 | qh u32 | qs [16]u8
	sizeQ5_1 = 24  // d f16 | m f16 | qh u32 | qs [16]u8
	sizeQ8_0 = 34  // d f16 | qs [32]int8
	sizeQ8_1 = 36  // d f16 | s f16 | qs [32]int8
	sizeQ2_K = 84  // scales [16]u8 | qs [64]u8 | d f16 | dmin f16
	sizeQ3_K = 110 // hmask [32]u8 | qs [64]u8 | scales [12]u8 | d f16
	sizeQ4_K = 144 // d f16 | dmin f16 | scales [12]u8 | qs [128]u8
	sizeQ5_K = 176 // d f16 | dmin f16 | scales [12]u8 | qh [32]u8 | qs [128]u8
	sizeQ6_K = 210 // ql [128]u8 | qh [64]u8 | scales [16]int8 | d f16
	sizeQ8_K = 292 // d f32 | qs [256]int8 | bsums [16]int16
)

// The block kernels (one .s file each, or dot_q32_amd64.s for the four
// 32-element formats) all compute rows consecutive weight rows of nb
// blocks each against one activation row of nb blocks, storing one float32
// per row at out.

//go:noescape
func dotQ4_0(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ4_1(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ5_0(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ5_1(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ8_0(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ2_K(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ3_K(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ4_K(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ5_K(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ6_K(nb int, w, a *byte, rows int, out *float32)

// The AVX512_VNNI+VL forms of the integer kernels; same arguments and
// bit-identical results.

//go:noescape
func dotQ4_0VNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ4_1VNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ5_0VNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ5_1VNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ8_0VNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ2_KVNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ3_KVNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ4_KVNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ5_KVNNI(nb int, w, a *byte, rows int, out *float32)

//go:noescape
func dotQ6_KVNNI(nb int, w, a *byte, rows int, out *float32)

// blockKernel is a block kernel with its geometry.
type blockKernel struct {
	kernel       func(nb int, w, a *byte, rows int, out *float32)
	vnni         func(nb int, w, a *byte, rows int, out *float32) // nil: none
	blockSize    int                                              // elements per block
	wSize, aSize int                                              // bytes per weight / activation block
}

// rows is the kernel's DotRowsFunc: all rows in one call.
func (k blockKernel) rows(n int, w, act []byte, out []float32) {
	nb := n / k.blockSize
	if len(out) == 0 {
		return
	}
	if nb <= 0 {
		clear(out)
		return
	}
	w = w[:len(out)*nb*k.wSize]
	act = act[:nb*k.aSize]
	if useVNNI && k.vnni != nil {
		k.vnni(nb, &w[0], &act[0], len(out), &out[0])
		return
	}
	k.kernel(nb, &w[0], &act[0], len(out), &out[0])
}

var (
	kQ4_0 = blockKernel{dotQ4_0, dotQ4_0VNNI, 32, sizeQ4_0, sizeQ8_0}
	kQ4_1 = blockKernel{dotQ4_1, dotQ4_1VNNI, 32, sizeQ4_1, sizeQ8_1}
	kQ5_0 = blockKernel{dotQ5_0, dotQ5_0VNNI, 32, sizeQ5_0, sizeQ8_0}
	kQ5_1 = blockKernel{dotQ5_1, dotQ5_1VNNI, 32, sizeQ5_1, sizeQ8_1}
	kQ8_0 = blockKernel{dotQ8_0, dotQ8_0VNNI, 32, sizeQ8_0, sizeQ8_0}
	kQ2_K = blockKernel{dotQ2_K, dotQ2_KVNNI, 256, sizeQ2_K, sizeQ8_K}
	kQ3_K = blockKernel{dotQ3_K, dotQ3_KVNNI, 256, sizeQ3_K, sizeQ8_K}
	kQ4_K = blockKernel{dotQ4_K, dotQ4_KVNNI, 256, sizeQ4_K, sizeQ8_K}
	kQ5_K = blockKernel{dotQ5_K, dotQ5_KVNNI, 256, sizeQ5_K, sizeQ8_K}
	kQ6_K = blockKernel{dotQ6_K, dotQ6_KVNNI, 256, sizeQ6_K, sizeQ8_K}
)

// The Dot functions call their kernel directly (a static call, no
// closure): they are what MatMat runs once per (row, token).

// DotQ4_0 is the Q4_0 x Q8_0 dot product (n a multiple of 32).
func DotQ4_0(n int, w, act []byte) float32 {
	nb := n / 32
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ4_0]
	act = act[:nb*sizeQ8_0]
	var r float32
	if useVNNI {
		dotQ4_0VNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ4_0(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ4_1 is the Q4_1 x Q8_1 dot product (n a multiple of 32).
func DotQ4_1(n int, w, act []byte) float32 {
	nb := n / 32
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ4_1]
	act = act[:nb*sizeQ8_1]
	var r float32
	if useVNNI {
		dotQ4_1VNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ4_1(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ5_0 is the Q5_0 x Q8_0 dot product (n a multiple of 32).
func DotQ5_0(n int, w, act []byte) float32 {
	nb := n / 32
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ5_0]
	act = act[:nb*sizeQ8_0]
	var r float32
	if useVNNI {
		dotQ5_0VNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ5_0(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ5_1 is the Q5_1 x Q8_1 dot product (n a multiple of 32).
func DotQ5_1(n int, w, act []byte) float32 {
	nb := n / 32
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ5_1]
	act = act[:nb*sizeQ8_1]
	var r float32
	if useVNNI {
		dotQ5_1VNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ5_1(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ8_0 is the Q8_0 x Q8_0 dot product (n a multiple of 32).
func DotQ8_0(n int, w, act []byte) float32 {
	nb := n / 32
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ8_0]
	act = act[:nb*sizeQ8_0]
	var r float32
	if useVNNI {
		dotQ8_0VNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ8_0(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ2_K is the Q2_K x Q8_K dot product (n a multiple of 256).
func DotQ2_K(n int, w, act []byte) float32 {
	nb := n / 256
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ2_K]
	act = act[:nb*sizeQ8_K]
	var r float32
	if useVNNI {
		dotQ2_KVNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ2_K(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ3_K is the Q3_K x Q8_K dot product (n a multiple of 256).
func DotQ3_K(n int, w, act []byte) float32 {
	nb := n / 256
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ3_K]
	act = act[:nb*sizeQ8_K]
	var r float32
	if useVNNI {
		dotQ3_KVNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ3_K(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ4_K is the Q4_K x Q8_K dot product (n a multiple of 256).
func DotQ4_K(n int, w, act []byte) float32 {
	nb := n / 256
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ4_K]
	act = act[:nb*sizeQ8_K]
	var r float32
	if useVNNI {
		dotQ4_KVNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ4_K(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ5_K is the Q5_K x Q8_K dot product (n a multiple of 256).
func DotQ5_K(n int, w, act []byte) float32 {
	nb := n / 256
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ5_K]
	act = act[:nb*sizeQ8_K]
	var r float32
	if useVNNI {
		dotQ5_KVNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ5_K(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// DotQ6_K is the Q6_K x Q8_K dot product (n a multiple of 256).
func DotQ6_K(n int, w, act []byte) float32 {
	nb := n / 256
	if nb <= 0 {
		return 0
	}
	w = w[:nb*sizeQ6_K]
	act = act[:nb*sizeQ8_K]
	var r float32
	if useVNNI {
		dotQ6_KVNNI(nb, &w[0], &act[0], 1, &r)
	} else {
		dotQ6_K(nb, &w[0], &act[0], 1, &r)
	}
	return r
}

// floatRows is the DotRows of a float kernel: one call per row (rows of
// any length, so the tails stay in Go).
func floatRows(dot DotFunc, elemSize int) DotRowsFunc {
	return func(n int, w, act []byte, out []float32) {
		rb := n * elemSize
		w = w[:len(out)*rb]
		for i := range out {
			out[i] = dot(n, w[i*rb:(i+1)*rb], act)
		}
	}
}

func init() {
	if !hasAVX2 {
		return
	}
	for _, k := range []Kernel{
		{Type: kernels.TypeF32, Name: "f32", ActType: kernels.TypeF32, BlockSize: 1, Dot: DotF32, DotRows: floatRows(DotF32, 4), Gemm: GemmF32},
		{Type: kernels.TypeF16, Name: "f16", ActType: kernels.TypeF16, BlockSize: 1, Dot: DotF16, DotRows: floatRows(DotF16, 2), Gemm: GemmF16},
		{Type: kernels.TypeBF16, Name: "bf16", ActType: kernels.TypeBF16, BlockSize: 1, Dot: DotBF16, DotRows: floatRows(DotBF16, 2), Gemm: GemmBF16},
		{Type: kernels.TypeQ4_0, Name: "q4_0", ActType: kernels.TypeQ8_0, BlockSize: 32, Dot: DotQ4_0, DotRows: kQ4_0.rows},
		{Type: kernels.TypeQ4_1, Name: "q4_1", ActType: kernels.TypeQ8_1, BlockSize: 32, Dot: DotQ4_1, DotRows: kQ4_1.rows},
		{Type: kernels.TypeQ5_0, Name: "q5_0", ActType: kernels.TypeQ8_0, BlockSize: 32, Dot: DotQ5_0, DotRows: kQ5_0.rows},
		{Type: kernels.TypeQ5_1, Name: "q5_1", ActType: kernels.TypeQ8_1, BlockSize: 32, Dot: DotQ5_1, DotRows: kQ5_1.rows},
		{Type: kernels.TypeQ8_0, Name: "q8_0", ActType: kernels.TypeQ8_0, BlockSize: 32, Dot: DotQ8_0, DotRows: kQ8_0.rows, DotTile: DotTileQ8_0},
		{Type: kernels.TypeQ2_K, Name: "q2_K", ActType: kernels.TypeQ8_K, BlockSize: 256, Dot: DotQ2_K, DotRows: kQ2_K.rows},
		{Type: kernels.TypeQ3_K, Name: "q3_K", ActType: kernels.TypeQ8_K, BlockSize: 256, Dot: DotQ3_K, DotRows: kQ3_K.rows},
		{Type: kernels.TypeQ4_K, Name: "q4_K", ActType: kernels.TypeQ8_K, BlockSize: 256, Dot: DotQ4_K, DotRows: kQ4_K.rows},
		{Type: kernels.TypeQ5_K, Name: "q5_K", ActType: kernels.TypeQ8_K, BlockSize: 256, Dot: DotQ5_K, DotRows: kQ5_K.rows},
		{Type: kernels.TypeQ6_K, Name: "q6_K", ActType: kernels.TypeQ8_K, BlockSize: 256, Dot: DotQ6_K, DotRows: kQ6_K.rows},
	} {
		k.DotTokens = kernels.TokensOf(k.Dot)
		if x, ok := x4Sizes[k.Type]; ok {
			k.DotTokens = tokensX4(k.Type, k.Dot, k.BlockSize, x.wSize, x.aSize)
		}
		dots[k.Type] = k
	}
	quantizers[kernels.TypeQ8_0] = Quantizer{Type: kernels.TypeQ8_0, Name: "q8_0", BlockSize: 32, Quantize: QuantizeQ8_0}
	quantizers[kernels.TypeQ8_1] = Quantizer{Type: kernels.TypeQ8_1, Name: "q8_1", BlockSize: 32, Quantize: QuantizeQ8_1}
	quantizers[kernels.TypeQ8_K] = Quantizer{Type: kernels.TypeQ8_K, Name: "q8_K", BlockSize: 256, Quantize: QuantizeQ8_K}
	quantizers[kernels.TypeF16] = Quantizer{Type: kernels.TypeF16, Name: "f16", BlockSize: 1, Quantize: QuantizeF16}
	quantizers[kernels.TypeBF16] = Quantizer{Type: kernels.TypeBF16, Name: "bf16", BlockSize: 1, Quantize: QuantizeBF16}
}
