package amd64

// Block sizes in bytes of the 32-element formats (ggml's layouts).
const (
	sizeQ4_0 = 18 // d f16 | qs [16]u8
	sizeQ4_1 = 20 // d f16 | m f16 | qs [16]u8
	sizeQ5_0 = 22 // d f16 | qh u32 | qs [16]u8
	sizeQ5_1 = 24 // d f16 | m f16 | qh u32 | qs [16]u8
	sizeQ8_1 = 36 // d f16 | s f16 | qs [32]int8
)

//go:noescape
func dotQ4_0(nb int, w, a *byte) float32

//go:noescape
func dotQ4_1(nb int, w, a *byte) float32

//go:noescape
func dotQ5_0(nb int, w, a *byte) float32

//go:noescape
func dotQ5_1(nb int, w, a *byte) float32

// blockDot slices w and act to nb = n/blockSize blocks and runs kernel on
// them; n below one block gives 0.
func blockDot(kernel func(nb int, w, a *byte) float32, n, blockSize, wSize, aSize int, w, act []byte) float32 {
	nb := n / blockSize
	if nb <= 0 {
		return 0
	}
	w = w[:nb*wSize]
	act = act[:nb*aSize]
	return kernel(nb, &w[0], &act[0])
}

// DotQ4_0 is the Q4_0 x Q8_0 dot product (n a multiple of 32).
func DotQ4_0(n int, w, act []byte) float32 {
	return blockDot(dotQ4_0, n, 32, sizeQ4_0, sizeQ8_0, w, act)
}

// DotQ4_1 is the Q4_1 x Q8_1 dot product (n a multiple of 32).
func DotQ4_1(n int, w, act []byte) float32 {
	return blockDot(dotQ4_1, n, 32, sizeQ4_1, sizeQ8_1, w, act)
}

// DotQ5_0 is the Q5_0 x Q8_0 dot product (n a multiple of 32).
func DotQ5_0(n int, w, act []byte) float32 {
	return blockDot(dotQ5_0, n, 32, sizeQ5_0, sizeQ8_0, w, act)
}

// DotQ5_1 is the Q5_1 x Q8_1 dot product (n a multiple of 32).
func DotQ5_1(n int, w, act []byte) float32 {
	return blockDot(dotQ5_1, n, 32, sizeQ5_1, sizeQ8_1, w, act)
}
