// Package directmap reaches physical memory through the kernel's direct map:
// the loader maps all physical memory at Base, so physical address p is
// virtual address Base+p.
package directmap

import "unsafe"

// Base is the virtual address of physical address 0.
const Base = 0xffff800000000000

// Addr returns the direct-map virtual address of physical address phys.
func Addr(phys uint64) uintptr { return uintptr(phys) + Base }

// Phys returns the physical address behind a direct-map virtual address.
func Phys(va uintptr) uint64 { return uint64(va - Base) }

// Ptr returns a *T for the physical address phys.
func Ptr[T any](phys uint64) *T { return At[T](Addr(phys)) }

// At returns a *T for the virtual address va, which must be mapped and
// outside the Go heap (page tables, boot data, device memory).
func At[T any](va uintptr) *T {
	return (*T)(*(*unsafe.Pointer)(unsafe.Pointer(&va)))
}
