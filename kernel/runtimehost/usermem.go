package runtimehost

import (
	"unsafe"

	"github.com/limnx/limnx/kernel/directmap"
)

// The Go runtime's memory is the kernel's, so a pointer argument is used in
// place. Before host code touches it, the pages are populated: a
// demand-zero page must never fault inside the host.

// userRange checks [addr, addr+n) and backs its pages; false means EFAULT.
// Valid ranges are the runtime's space (pages a region allows), the
// kernel image (globals) and the direct map (the initial stack); anything
// else would fault inside the host.
func userRange(addr uintptr, n uintptr) bool {
	end := addr + n
	if addr < 4096 || end < addr {
		return false
	}
	if n == 0 {
		return true
	}
	switch {
	case space.Contains(addr, end):
		return space.Populate(addr, end)
	case addr >= kernelImageStart && end <= kernelImageEnd:
		return true
	case addr >= directmap.Base && end <= directMapEnd:
		return true
	}
	return false
}

// Bounds of the kernel image and the direct map, set by hostInit.
var kernelImageStart, kernelImageEnd, directMapEnd uintptr

// userPtr returns addr as a *T after checking and backing it, or nil.
func userPtr[T any](addr uint64) *T {
	var zero T
	if !userRange(uintptr(addr), unsafe.Sizeof(zero)) {
		return nil
	}
	return directmap.At[T](uintptr(addr))
}

// userBytes returns [addr, addr+n) as a byte slice after checking and
// backing it, or ok=false.
func userBytes(addr, n uint64) ([]byte, bool) {
	if !userRange(uintptr(addr), uintptr(n)) {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	return unsafe.Slice(directmap.At[byte](uintptr(addr)), int(n)), true
}

// timespec is struct timespec.
type timespec struct{ Sec, Nsec int64 }

func (ts *timespec) ns() int64 { return ts.Sec*1_000_000_000 + ts.Nsec }
