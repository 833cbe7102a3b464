package ops

import "math"

// RopeParams describes rotary position embedding as llama.cpp reads it from
// GGUF metadata.
type RopeParams struct {
	NDims     int     // rotated dimensions per head (rope.dimension_count, else head_dim); even
	Base      float32 // frequency base (rope.freq_base; 10000 if absent)
	FreqScale float32 // linear scaling: 1/rope.scaling.factor; 1 means none
	NeoX      bool    // NeoX style: pairs (i, i+NDims/2); else adjacent pairs (2i, 2i+1)
}

// RopeCache fills cs[0:p.NDims] with the cos/sin pairs for position pos:
// cs[2i] = cos(theta_i), cs[2i+1] = sin(theta_i), where
// theta_i = FreqScale * pos * Base^(-2i/NDims) / freqFactors[i]. Like ggml,
// theta is built by repeated float32 multiplication with
// Base^(-2/NDims), so the angles round the same way. freqFactors may be nil
// (all 1), else it holds NDims/2 values (the rope_freqs tensor).
func RopeCache(cs []float32, pos int, p RopeParams, freqFactors []float32) {
	thetaScale := float32(math.Pow(float64(p.Base), -2.0/float64(p.NDims)))
	theta := float32(pos)
	for i := 0; i < p.NDims; i += 2 {
		ff := float32(1)
		if freqFactors != nil {
			ff = freqFactors[i/2]
		}
		t := p.FreqScale * (theta / ff)
		cs[i] = float32(math.Cos(float64(t)))
		cs[i+1] = float32(math.Sin(float64(t)))
		theta *= thetaScale
	}
}

// Rope rotates every head of x (len(x) = nHeads*headDim, heads contiguous)
// in place with the cos/sin pairs from RopeCache. Dimensions from p.NDims to
// headDim are left unchanged.
func Rope(x []float32, headDim int, cs []float32, p RopeParams) {
	for h := 0; h+headDim <= len(x); h += headDim {
		head := x[h : h+headDim]
		if p.NeoX {
			half := p.NDims / 2
			for i := 0; i < p.NDims; i += 2 {
				c, s := cs[i], cs[i+1]
				j := i / 2
				x0, x1 := head[j], head[j+half]
				head[j] = x0*c - x1*s
				head[j+half] = x0*s + x1*c
			}
			continue
		}
		for i := 0; i < p.NDims; i += 2 {
			c, s := cs[i], cs[i+1]
			x0, x1 := head[i], head[i+1]
			head[i] = x0*c - x1*s
			head[i+1] = x0*s + x1*c
		}
	}
}
