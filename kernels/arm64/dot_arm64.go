package arm64

import (
	"fmt"

	"golang.org/x/sys/cpu"
)

// HasDotProd reports whether the CPU has the ARMv8.2 dot-product
// extension (SDOT/UDOT, HWCAP asimddp). The integer kernels use SDOT when
// it is true and a SMULL/SMLAL2/SADALP sequence otherwise.
var HasDotProd = cpu.ARM64.HasASIMDDP

// useSDOT selects the SDOT path; tests switch it off to exercise the
// NEON-only path on CPUs (and emulators) that have SDOT.
var useSDOT = HasDotProd

// Block geometry of the formats, from ggml-common.h.
const (
	qk       = 32  // elements per Q4_0/Q4_1/Q5_0/Q5_1/Q8_0/Q8_1 block
	qkK      = 256 // elements per K-quant super-block
	sizeQ4_0 = 18  // d f16, qs[16]
	sizeQ4_1 = 20  // d f16, m f16, qs[16]
	sizeQ5_0 = 22  // d f16, qh[4], qs[16]
	sizeQ5_1 = 24  // d f16, m f16, qh[4], qs[16]
	sizeQ8_0 = 34  // d f16, qs[32]
	sizeQ8_1 = 36  // d f16, s f16, qs[32]
	sizeQ2_K = 84  // scales[16], qs[64], d f16, dmin f16
	sizeQ3_K = 110 // hmask[32], qs[64], scales[12], d f16
	sizeQ4_K = 144 // d f16, dmin f16, scales[12], qs[128]
	sizeQ5_K = 176 // d f16, dmin f16, scales[12], qh[32], qs[128]
	sizeQ6_K = 210 // ql[128], qh[64], scales[16], d f16
	sizeQ8_K = 292 // d f32, qs[256], bsums[16] int16
)

// blocks checks the shapes of one dot product and returns the number of
// blocks. A bad shape is a broken invariant of the caller (ggml/quant
// checks tensor shapes when a model is loaded), so it panics rather than
// reading past a slice.
func blocks(name string, n, blockSize, wSize, actSize int, w, act []byte) int {
	if n < 0 || n%blockSize != 0 {
		panic(fmt.Sprintf("kernels/arm64: %s: n=%d is not a multiple of %d", name, n, blockSize))
	}
	nb := n / blockSize
	if len(w) < nb*wSize || len(act) < nb*actSize {
		panic(fmt.Sprintf("kernels/arm64: %s: n=%d needs %d weight and %d activation bytes, have %d and %d",
			name, n, nb*wSize, nb*actSize, len(w), len(act)))
	}
	return nb
}

// DotQ8_0 returns the dot product of n elements of Q8_0 weights w and
// Q8_0 activations act. Activation quants must lie in [-127, 127] (as
// ggml's quantizer produces them) for the NEON-only path.
func DotQ8_0(n int, w, act []byte) float32 {
	nb := blocks("DotQ8_0", n, qk, sizeQ8_0, sizeQ8_0, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ8_0(nb, &w[0], &act[0], useSDOT)
}

// DotQ4_0 returns the dot product of n elements of Q4_0 weights w and
// Q8_0 activations act.
func DotQ4_0(n int, w, act []byte) float32 {
	nb := blocks("DotQ4_0", n, qk, sizeQ4_0, sizeQ8_0, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ4_0(nb, &w[0], &act[0], useSDOT)
}

// DotQ4_1 returns the dot product of n elements of Q4_1 weights w and
// Q8_1 activations act.
func DotQ4_1(n int, w, act []byte) float32 {
	nb := blocks("DotQ4_1", n, qk, sizeQ4_1, sizeQ8_1, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ4_1(nb, &w[0], &act[0], useSDOT)
}

// DotQ5_0 returns the dot product of n elements of Q5_0 weights w and
// Q8_0 activations act.
func DotQ5_0(n int, w, act []byte) float32 {
	nb := blocks("DotQ5_0", n, qk, sizeQ5_0, sizeQ8_0, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ5_0(nb, &w[0], &act[0], useSDOT)
}

// DotQ5_1 returns the dot product of n elements of Q5_1 weights w and
// Q8_1 activations act.
func DotQ5_1(n int, w, act []byte) float32 {
	nb := blocks("DotQ5_1", n, qk, sizeQ5_1, sizeQ8_1, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ5_1(nb, &w[0], &act[0], useSDOT)
}

// DotQ2_K returns the dot product of n elements of Q2_K weights w and
// Q8_K activations act (whose bsums must be the sums of its quants).
func DotQ2_K(n int, w, act []byte) float32 {
	nb := blocks("DotQ2_K", n, qkK, sizeQ2_K, sizeQ8_K, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ2_K(nb, &w[0], &act[0], useSDOT)
}

// DotQ3_K returns the dot product of n elements of Q3_K weights w and
// Q8_K activations act.
func DotQ3_K(n int, w, act []byte) float32 {
	nb := blocks("DotQ3_K", n, qkK, sizeQ3_K, sizeQ8_K, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ3_K(nb, &w[0], &act[0], useSDOT)
}

// DotQ4_K returns the dot product of n elements of Q4_K weights w and
// Q8_K activations act (whose bsums must be the sums of its quants).
func DotQ4_K(n int, w, act []byte) float32 {
	nb := blocks("DotQ4_K", n, qkK, sizeQ4_K, sizeQ8_K, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ4_K(nb, &w[0], &act[0], useSDOT)
}

// DotQ5_K returns the dot product of n elements of Q5_K weights w and
// Q8_K activations act (whose bsums must be the sums of its quants).
func DotQ5_K(n int, w, act []byte) float32 {
	nb := blocks("DotQ5_K", n, qkK, sizeQ5_K, sizeQ8_K, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ5_K(nb, &w[0], &act[0], useSDOT)
}

// DotQ6_K returns the dot product of n elements of Q6_K weights w and
// Q8_K activations act.
func DotQ6_K(n int, w, act []byte) float32 {
	nb := blocks("DotQ6_K", n, qkK, sizeQ6_K, sizeQ8_K, w, act)
	if nb == 0 {
		return 0
	}
	return dotQ6_K(nb, &w[0], &act[0], useSDOT)
}

// DotF32 returns the dot product of n float32 weights w and n float32
// activations act, both little-endian.
func DotF32(n int, w, act []byte) float32 {
	blocks("DotF32", n, 1, 4, 4, w, act)
	if n == 0 {
		return 0
	}
	return dotF32(n, &w[0], &act[0])
}

// DotF16 returns the dot product of n IEEE half weights w and n half
// activations act, converted to float32 and summed in float32.
func DotF16(n int, w, act []byte) float32 {
	blocks("DotF16", n, 1, 2, 2, w, act)
	if n == 0 {
		return 0
	}
	return dotF16(n, &w[0], &act[0])
}

// DotBF16 returns the dot product of n bfloat16 weights w and n bfloat16
// activations act, converted to float32 and summed in float32.
func DotBF16(n int, w, act []byte) float32 {
	blocks("DotBF16", n, 1, 2, 2, w, act)
	if n == 0 {
		return 0
	}
	return dotBF16(n, &w[0], &act[0])
}

// The assembly kernels. nb is the number of blocks (> 0), n the number of
// elements (> 0); sdot selects the SDOT path. They read exactly nb (or n)
// elements' bytes from w and act.

//go:noescape
func dotQ8_0(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ4_0(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ4_1(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ5_0(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ5_1(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ2_K(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ3_K(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ4_K(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ5_K(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotQ6_K(nb int, w, act *byte, sdot bool) float32

//go:noescape
func dotF32(n int, w, act *byte) float32

//go:noescape
func dotF16(n int, w, act *byte) float32

//go:noescape
func dotBF16(n int, w, act *byte) float32

// The four-token kernels: out[t] = the one-token kernel on act+t*stride,
// bit for bit, t < 4.

//go:noescape
func dotQ8_0x4(nb int, w, act *byte, stride int, sdot bool, out *[4]float32)

//go:noescape
func dotQ4_Kx4(nb int, w, act *byte, stride int, sdot bool, out *[4]float32)

//go:noescape
func dotQ6_Kx4(nb int, w, act *byte, stride int, sdot bool, out *[4]float32)
