//go:build !amd64 && !arm64

package quant

import "runtime"

// On other architectures there are no fast kernels: installKernels keeps
// the Go references.

func lookupFast(Type) (fastKernel, bool) { return fastKernel{}, false }

func lookupFastQuantizer(Type) (func([]float32, []byte), bool) { return nil, false }

func fastFeatures() string { return "no fast kernels for " + runtime.GOARCH }

func lookupFastAxpy() (func(a float32, x, y []float32), bool) { return nil, false }

func lookupFastGemm() (gemmF32Func, gemmF16Func, bool) { return nil, nil, false }
