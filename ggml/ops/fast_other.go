//go:build !amd64

package ops

// No vector kernels outside amd64 yet: the Go loops run.

func fastExpSubSum() func([]float32, float32) (int, float64) { return nil }

func fastSwiGLU() func(dst, gate, up []float32) int { return nil }
