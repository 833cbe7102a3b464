// Package ksym symbolizes kernel addresses for crash reports, using the
// ELF symbol table of the kernel image that the loader received as the PVH
// module (it stays in memory, reserved, for the kernel's lifetime).
//
// Lookup does not allocate: names point into the module, so the runtime
// host can symbolize while reporting a fault in itself.
package ksym

import (
	"unsafe"

	"github.com/limnx/limnx/kernel/directmap"
)

const (
	shtSymtab = 2
	sttFunc   = 2
	symSize   = 24
)

var (
	symtab, strtab       uintptr // direct-map addresses, 0 if unavailable
	nsyms                uint64
	strtabSize, elfStart uint64
)

func u16(a uintptr) uint16 { return *directmap.At[uint16](a) }
func u32(a uintptr) uint32 { return *directmap.At[uint32](a) }
func u64(a uintptr) uint64 { return *directmap.At[uint64](a) }

// Init finds the symbol table of the ELF image at physical [start,
// start+size). It reports whether it found one.
func Init(start, size uint64) bool {
	if size < 64 || u32(directmap.Addr(start)) != 0x464c457f { // "\x7fELF"
		return false
	}
	base := directmap.Addr(start)
	shoff := u64(base + 0x28)
	shentsize := uint64(u16(base + 0x3a))
	shnum := uint64(u16(base + 0x3c))
	if shentsize < 64 || shoff+shnum*shentsize > size {
		return false
	}
	for i := uint64(0); i < shnum; i++ {
		sh := base + uintptr(shoff+i*shentsize)
		if u32(sh+4) != shtSymtab {
			continue
		}
		off, sz, link := u64(sh+24), u64(sh+32), uint64(u32(sh+40))
		if off+sz > size || link >= shnum {
			return false
		}
		str := base + uintptr(shoff+link*shentsize)
		soff, ssz := u64(str+24), u64(str+32)
		if soff+ssz > size {
			return false
		}
		symtab, nsyms = base+uintptr(off), sz/symSize
		strtab, strtabSize = base+uintptr(soff), ssz
		elfStart = start
		return true
	}
	return false
}

// Lookup returns the function containing pc and pc's offset in it.
func Lookup(pc uint64) (name string, off uint64, ok bool) {
	if symtab == 0 {
		return "", 0, false
	}
	var best uintptr
	var bestVal uint64
	for i := uint64(0); i < nsyms; i++ {
		s := symtab + uintptr(i*symSize)
		if *directmap.At[uint8](s + 4)&0xf != sttFunc {
			continue
		}
		v, sz := u64(s+8), u64(s+16)
		if v <= pc && (pc < v+sz || sz == 0) && v >= bestVal {
			best, bestVal = s, v
		}
	}
	if best == 0 {
		return "", 0, false
	}
	nameOff := uint64(u32(best))
	if nameOff >= strtabSize {
		return "", 0, false
	}
	p := strtab + uintptr(nameOff)
	n := 0
	for uint64(n) < strtabSize-nameOff && *directmap.At[byte](p + uintptr(n)) != 0 {
		n++
	}
	return unsafe.String(directmap.At[byte](p), n), pc - bestVal, true
}
