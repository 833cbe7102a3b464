package amd64

import "github.com/limnx/limnx/kernels"

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

// tokensX4 makes the DotTokens of a weight type typ with a four-token
// kernel (see x4): tokens go four at a time through it, the rest through
// dot (whose results it matches bit for bit).
func tokensX4(typ uint32, dot DotFunc, blockSize, wSize, aSize int) DotTokensFunc {
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
		for ; t+4 <= nTok; t += 4 {
			x4(typ, nb, &w[0], &act[t*actStride], actStride, &r)
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

// x4 runs the four-token kernel of weight type typ (a key of x4Sizes).
// The calls are direct, not through a func value, so that out stays on
// the caller's stack (go:noescape holds only for direct calls).
func x4(typ uint32, nb int, w, a *byte, stride int, out *[4]float32) {
	switch {
	case typ == kernels.TypeQ8_0 && useVNNI:
		dotQ8_0x4VNNI(nb, w, a, stride, out)
	case typ == kernels.TypeQ8_0:
		dotQ8_0x4(nb, w, a, stride, out)
	case typ == kernels.TypeQ4_K && useVNNI:
		dotQ4_Kx4VNNI(nb, w, a, stride, out)
	case typ == kernels.TypeQ4_K:
		dotQ4_Kx4(nb, w, a, stride, out)
	case typ == kernels.TypeQ6_K && useVNNI:
		dotQ6_Kx4VNNI(nb, w, a, stride, out)
	case typ == kernels.TypeQ6_K:
		dotQ6_Kx4(nb, w, a, stride, out)
	default:
		panic("kernels/amd64: x4: no four-token kernel for this type (x4Sizes and x4 disagree)")
	}
}

// x4Sizes are the weight and activation block sizes of the types with a
// four-token kernel.
var x4Sizes = map[uint32]struct{ wSize, aSize int }{
	kernels.TypeQ8_0: {sizeQ8_0, sizeQ8_0},
	kernels.TypeQ4_K: {sizeQ4_K, sizeQ8_K},
	kernels.TypeQ6_K: {sizeQ6_K, sizeQ8_K},
}
