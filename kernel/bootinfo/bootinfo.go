// Package bootinfo turns what the loader hands over (the handoff block, the
// PVH start info, its memory map and command line) into Go values.
//
// The accessors that return raw values (Get, MemoryMap) do not allocate, so
// the runtime host may call them before the Go runtime is initialized.
package bootinfo

import (
	"strings"

	"github.com/limnx/limnx/kernel/directmap"
)

// HandoffMagic marks a handoff block ("LIMNXBOO").
const HandoffMagic = 0x4f4f424e584d494c

// Handoff is the block the loader (kernel/arch/amd64/boot) fills before
// jumping to the kernel. All addresses are physical.
type Handoff struct {
	Magic          uint64 // HandoffMagic
	StartInfo      uint64 // hvm_start_info
	BootTSC        uint64 // TSC at the loader's first instruction
	KernelStart    uint64 // kernel image, physical
	KernelEnd      uint64 // end of the 2 MiB-rounded kernel mapping
	ModuleStart    uint64 // the PVH module (header + kernel ELF + initramfs)
	ModuleSize     uint64
	ReservedEnd    uint64 // [0, ReservedEnd): firmware, loader, page tables, initial stack
	DirectMapBase  uint64 // virtual address of physical 0
	DirectMapSize  uint64 // bytes of physical address space mapped there
	CmdlinePhys    uint64 // NUL-terminated command line, or 0
	MemmapPhys     uint64 // hvm_memmap_table_entry array, or 0
	MemmapEntries  uint64
	InitramfsStart uint64 // 0 if none
	InitramfsSize  uint64
	PML4           uint64 // the loader's page-table root
	HWCap          uint64 // CPUID.1: EDX | ECX<<32
	APParams       uint64 // the AP trampoline's parameter block (below 1 MiB)
}

// MemType is an E820 memory type.
type MemType uint32

// Memory types.
const (
	MemRAM      MemType = 1
	MemReserved MemType = 2
	MemACPI     MemType = 3
	MemNVS      MemType = 4
	MemBad      MemType = 5
)

// MemRange is one hvm_memmap_table_entry (24 bytes).
type MemRange struct {
	Addr uint64
	Size uint64
	Type MemType
	_    uint32
}

var handoffVA uintptr

// Set records the direct-map address of the handoff block. The runtime host
// calls it once, first thing at boot.
func Set(va uintptr) { handoffVA = va }

// Get returns the handoff block, or nil if none was recorded or its magic
// is wrong.
func Get() *Handoff {
	if handoffVA == 0 {
		return nil
	}
	h := directmap.At[Handoff](handoffVA)
	if h.Magic != HandoffMagic {
		return nil
	}
	return h
}

// MemoryMap returns entry i of the firmware memory map, and false past its
// end.
func MemoryMap(i int) (MemRange, bool) {
	h := Get()
	if h == nil || h.MemmapPhys == 0 || i < 0 || uint64(i) >= h.MemmapEntries {
		return MemRange{}, false
	}
	return *directmap.Ptr[MemRange](h.MemmapPhys + uint64(i)*24), true
}

// Cmdline returns the kernel command line.
func Cmdline() string {
	h := Get()
	if h == nil || h.CmdlinePhys == 0 {
		return ""
	}
	var b strings.Builder
	for p := h.CmdlinePhys; b.Len() < 4096; p++ {
		c := *directmap.Ptr[byte](p)
		if c == 0 {
			break
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Param returns the value of key=value on the command line, and whether the
// key is present (a bare key has the value "").
func Param(key string) (string, bool) { return param(Cmdline(), key) }

func param(cmdline, key string) (string, bool) {
	for _, f := range strings.Fields(cmdline) {
		k, v, _ := strings.Cut(f, "=")
		if k == key {
			return v, true
		}
	}
	return "", false
}

// RAMBytes returns the total size of the RAM ranges in the memory map.
func RAMBytes() uint64 {
	var n uint64
	for i := 0; ; i++ {
		r, ok := MemoryMap(i)
		if !ok {
			return n
		}
		if r.Type == MemRAM {
			n += r.Size
		}
	}
}

// Initramfs returns the initramfs bytes the loader found, or nil.
func Initramfs() []byte {
	h := Get()
	if h == nil || h.InitramfsSize == 0 {
		return nil
	}
	p := directmap.Ptr[byte](h.InitramfsStart)
	return unsafeSlice(p, int(h.InitramfsSize))
}
