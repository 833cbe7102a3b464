package amd64

//go:noescape
func dotQ8_0x4(nb int, w, a *byte, stride int, out *[4]float32)

//go:noescape
func dotQ4_Kx4(nb int, w, a *byte, stride int, out *[4]float32)

//go:noescape
func dotQ6_Kx4(nb int, w, a *byte, stride int, out *[4]float32)

//go:noescape
func dotQ8_0x4VNNI(nb int, w, a *byte, stride int, out *[4]float32)

//go:noescape
func dotQ4_Kx4VNNI(nb int, w, a *byte, stride int, out *[4]float32)

//go:noescape
func dotQ6_Kx4VNNI(nb int, w, a *byte, stride int, out *[4]float32)

// tokensX4 makes the DotTokens of a weight type with a four-token kernel
// x4: tokens go four at a time through x4, the rest through dot (whose
// results x4 matches bit for bit).
func tokensX4(x4, x4VNNI func(nb int, w, a *byte, stride int, out *[4]float32), dot DotFunc, blockSize, wSize, aSize int) DotTokensFunc {
	return func(n int, w, act []byte, actStride, nTok int, out []float32, outStride int) {
		nb := n / blockSize
		if nTok <= 0 {
			return
		}
		if actStride < 0 {
			// The assembly addresses tokens at a + t*actStride.
			panic("kernels/amd64: DotTokens: negative activation stride")
		}
		out = out[:(nTok-1)*outStride+1]
		if nb <= 0 {
			for t := 0; t < nTok; t++ {
				out[t*outStride] = 0
			}
			return
		}
		w = w[:nb*wSize]
		act = act[:(nTok-1)*actStride+nb*aSize]
		t := 0
		var r [4]float32
		kernel := x4
		if useVNNI {
			kernel = x4VNNI
		}
		for ; t+4 <= nTok; t += 4 {
			kernel(nb, &w[0], &act[t*actStride], actStride, &r)
			out[t*outStride] = r[0]
			out[(t+1)*outStride] = r[1]
			out[(t+2)*outStride] = r[2]
			out[(t+3)*outStride] = r[3]
		}
		for ; t < nTok; t++ {
			out[t*outStride] = dot(n, w, act[t*actStride:])
		}
	}
}

// x4Kernels are the four-token kernels by weight type.
var x4Kernels = map[uint32]struct {
	x4, x4VNNI   func(nb int, w, a *byte, stride int, out *[4]float32)
	wSize, aSize int
}{
	typeQ8_0: {dotQ8_0x4, dotQ8_0x4VNNI, sizeQ8_0, sizeQ8_0},
	typeQ4_K: {dotQ4_Kx4, dotQ4_Kx4VNNI, sizeQ4_K, sizeQ8_K},
	typeQ6_K: {dotQ6_Kx4, dotQ6_Kx4VNNI, sizeQ6_K, sizeQ8_K},
}
