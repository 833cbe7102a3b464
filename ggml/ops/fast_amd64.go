package ops

import kamd64 "github.com/limnx/limnx/kernels/amd64"

// The AVX2+FMA kernels of kernels/amd64, when the CPU runs them.

func fastExpSubSum() func([]float32, float32) (int, float64) {
	if !kamd64.Enabled() {
		return nil
	}
	return kamd64.ExpSubSum
}

func fastSwiGLU() func(dst, gate, up []float32) int {
	if !kamd64.Enabled() {
		return nil
	}
	return kamd64.SwiGLU
}
