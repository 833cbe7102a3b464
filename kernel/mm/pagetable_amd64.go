package mm

import (
	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/directmap"
)

// Page-table entry bits (x86-64, 4 KiB pages):
//
//	63   62..52  51..12          11..9  8 7  6 5 4   3   2 1 0
//	NX   avail   frame address   avail  G PS D A PCD PWT U W P
const (
	PTE_P    = 1 << 0
	PTE_W    = 1 << 1
	PTE_U    = 1 << 2
	PTE_PWT  = 1 << 3
	PTE_PCD  = 1 << 4
	PTE_A    = 1 << 5
	PTE_D    = 1 << 6
	PTE_PS   = 1 << 7
	PTE_G    = 1 << 8
	PTE_NX   = 1 << 63
	PTE_ADDR = 0x000ffffffffff000
)

// table is one page-table page, seen through the direct map.
type table [512]uint64

// index returns va's index at level l (3 = PML4 ... 0 = PT):
//
//	47..39 PML4 | 38..30 PDPT | 29..21 PD | 20..12 PT | 11..0 offset
func index(va uintptr, l int) int { return int(va>>(12+9*uint(l))) & 511 }

// Walk returns a pointer to the PTE that maps va in the tables rooted at
// pml4 (physical). With create, missing intermediate tables are allocated;
// without, Walk returns nil if one is missing. It also returns nil if a
// large page maps va, or if a table cannot be allocated.
func Walk(pml4 uint64, va uintptr, create bool) *uint64 {
	t := directmap.Ptr[table](pml4)
	for l := 3; l > 0; l-- {
		e := &t[index(va, l)]
		if *e&PTE_P == 0 {
			if !create {
				return nil
			}
			p, ok := AllocFrame()
			if !ok {
				return nil
			}
			*e = p | PTE_P | PTE_W
		} else if *e&PTE_PS != 0 {
			return nil
		}
		t = directmap.Ptr[table](*e & PTE_ADDR)
	}
	return &t[index(va, 0)]
}

// Map maps the page at va to frame pa with flags (PTE_P is added). It
// returns false if a page table could not be allocated.
func Map(pml4 uint64, va uintptr, pa uint64, flags uint64) bool {
	e := Walk(pml4, va, true)
	if e == nil {
		return false
	}
	*e = pa&PTE_ADDR | flags | PTE_P
	amd64.Invlpg(va)
	return true
}

// unmaps counts the mappings removed, so that callers can tell whether
// other CPUs' TLBs need flushing.
var unmaps uint64

// Unmaps returns how many page mappings have been removed since boot.
func Unmaps() uint64 { return unmaps }

// UnmapRange removes every 4 KiB mapping in [start, end) (page-aligned) and
// frees the frames behind them when free is set. Missing tables are skipped
// whole, so a large sparse range costs little.
func UnmapRange(pml4 uint64, start, end uintptr, free bool) {
	unmapLevel(directmap.Ptr[table](pml4), 3, start, end, free)
}

func unmapLevel(t *table, l int, start, end uintptr, free bool) {
	span := uintptr(1) << (12 + 9*uint(l))
	for va := start; va < end && va >= start; {
		next := (va &^ (span - 1)) + span
		if next > end || next < va {
			next = end
		}
		e := &t[index(va, l)]
		if *e&PTE_P != 0 {
			switch {
			case l == 0:
				pa := *e & PTE_ADDR
				*e = 0
				amd64.Invlpg(va)
				unmaps++
				if free {
					FreeFrame(pa)
				}
			case *e&PTE_PS == 0:
				unmapLevel(directmap.Ptr[table](*e&PTE_ADDR), l-1, va, next, free)
			}
		}
		va = next
	}
}
