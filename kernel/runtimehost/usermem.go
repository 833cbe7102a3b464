package runtimehost

import (
	"unsafe"

	"github.com/limnx/limnx/kernel/directmap"
)

// The Go runtime's memory is the kernel's, so a pointer argument is used in
// place. Before host code touches it, the pages are populated: a
// demand-zero page must never fault inside the host.

// userRange checks [addr, addr+n) and backs its pages; false means EFAULT.
func userRange(addr uintptr, n uintptr) bool {
	if addr < 4096 || addr+n < addr {
		return false
	}
	if n == 0 {
		return true
	}
	return space.Populate(addr, addr+n)
}

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
