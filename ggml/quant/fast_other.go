//go:build !amd64 && !arm64

package quant

import (
	"runtime"

	"github.com/limnx/limnx/kernels"
)

// On other architectures there are no fast kernels: installKernels keeps
// the Go references.

func lookupFast(Type) (kernels.Kernel, bool) { return kernels.Kernel{}, false }

func lookupFastQuantizer(Type) (kernels.Quantizer, bool) { return kernels.Quantizer{}, false }

func fastFeatures() string { return "no fast kernels for " + runtime.GOARCH }

func lookupFastAxpy() (func(a float32, x, y []float32), bool) { return nil, false }

func lookupFastGemm() (gemmF32Func, gemmF16Func, bool) { return nil, nil, false }
