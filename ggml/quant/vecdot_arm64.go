package quant

import (
	"fmt"

	"github.com/limnx/limnx/kernels/arm64"
)

// On arm64 the NEON kernels of kernels/arm64 (SDOT where the CPU has it)
// replace the Go VecDot of every weight type at start-up; RefVecDot stays
// the oracle and SetVecDot(t, nil) restores it.
//
// This init must run after types.go's, which sets every VecDot to
// RefVecDot: Go runs a package's init functions in file-name order, so this
// file's name must sort after "types.go". kernels/arm64's TestQuantHook
// fails if the kernels are not installed.
func init() {
	for _, k := range arm64.Kernels() {
		if err := SetVecDot(Type(k.Type), k.Dot); err != nil {
			panic(fmt.Sprintf("quant: installing kernels/arm64 %s: %v", k.Name, err))
		}
	}
}
