// Package mm manages memory for the kernel: the physical frame allocator,
// 4-level page tables reached through the direct map, and the address space
// in which the runtime host serves the Go runtime's mmap calls.
//
// Locking: mm has no locks of its own; every caller holds the runtime host
// lock (kernel/runtimehost), with interrupts disabled. Nothing here
// allocates from the Go heap.
package mm

import (
	"github.com/limnx/limnx/kernel/bootinfo"
	"github.com/limnx/limnx/kernel/directmap"
)

// PageSize is the size of a page and of a physical frame.
const PageSize = 4096

type frameRange struct{ next, end uint64 }

var (
	ranges    [64]frameRange // never-used RAM, handed out from next upwards
	nRanges   int
	freeList  uint64 // physical address of the first freed frame, 0 if none
	freeCount uint64 // frames on freeList
	total     uint64 // frames managed
	inUse     uint64 // frames handed out and not freed
)

type hole struct{ start, end uint64 }

// InitFrames builds the frame allocator from the firmware memory map,
// leaving out what h says is in use (low memory, the loader's data, the
// kernel image and the PVH module).
func InitFrames(h *bootinfo.Handoff) {
	holes := [3]hole{
		{0, h.ReservedEnd},
		{h.KernelStart, h.KernelEnd},
		{h.ModuleStart, h.ModuleStart + h.ModuleSize},
	}
	for i := 0; ; i++ {
		r, ok := bootinfo.MemoryMap(i)
		if !ok {
			break
		}
		if r.Type != bootinfo.MemRAM {
			continue
		}
		start := (r.Addr + PageSize - 1) &^ (PageSize - 1)
		end := (r.Addr + r.Size) &^ (PageSize - 1)
		if limit := h.DirectMapSize; end > limit {
			end = limit
		}
		addRange(start, end, &holes, 0)
	}
}

// addRange adds [start, end) minus holes[k:] to the allocator.
func addRange(start, end uint64, holes *[3]hole, k int) {
	if start >= end {
		return
	}
	if k == len(holes) {
		if nRanges < len(ranges) {
			ranges[nRanges] = frameRange{start, end}
			nRanges++
			total += (end - start) / PageSize
		}
		return
	}
	hs := holes[k].start &^ (PageSize - 1)
	he := (holes[k].end + PageSize - 1) &^ (PageSize - 1)
	if he <= start || hs >= end {
		addRange(start, end, holes, k+1)
		return
	}
	addRange(start, hs, holes, k+1)
	addRange(he, end, holes, k+1)
}

// AllocFrame returns the physical address of a zeroed frame, or false when
// memory is exhausted.
func AllocFrame() (uint64, bool) {
	var p uint64
	if freeList != 0 {
		p = freeList
		freeList = *directmap.Ptr[uint64](p)
		freeCount--
	} else {
		for i := 0; i < nRanges; i++ {
			r := &ranges[i]
			if r.next < r.end {
				p = r.next
				r.next += PageSize
				break
			}
		}
		if p == 0 {
			return 0, false
		}
	}
	inUse++
	clear(directmap.Ptr[[PageSize]byte](p)[:])
	return p, true
}

// FreeFrame returns frame p to the allocator. p must have come from
// AllocFrame and must no longer be mapped anywhere.
func FreeFrame(p uint64) {
	*directmap.Ptr[uint64](p) = freeList
	freeList = p
	freeCount++
	inUse--
}

// FrameStats reports the frames managed and the frames in use.
func FrameStats() (totalFrames, usedFrames uint64) { return total, inUse }
