package runtimehost

import (
	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/directmap"
	"github.com/limnx/limnx/kernel/mm"
)

// dropIdentityMap replaces the loader's identity map of the first 4 GiB
// (PML4 slot 0, needed only to enter long mode and to start the other
// CPUs) by a map of just the device window tamago's drivers reach at
// VA == PA: the 4 MiB from 0xfec00000 holding the I/O APIC, the HPET and
// the local APIC, uncached. The rest of the lower half is left empty for
// user address spaces, and stray low pointers fault. Runs at the end of
// hostInit, after every CPU is up; flushes every TLB.
func dropIdentityMap(pml4 uint64) bool {
	pdpt, ok := mm.AllocFrame()
	if !ok {
		return false
	}
	pd, ok := mm.AllocFrame()
	if !ok {
		return false
	}
	const devBase = 0xfec00000
	d := directmap.Ptr[[512]uint64](pd)
	for i := uint64(0); i < 2; i++ {
		pa := devBase + i<<21
		d[(pa>>21)&511] = pa | mm.PTE_P | mm.PTE_W | mm.PTE_PS | mm.PTE_PCD | mm.PTE_PWT
	}
	directmap.Ptr[[512]uint64](pdpt)[devBase>>30] = pd | mm.PTE_P | mm.PTE_W
	directmap.Ptr[[512]uint64](pml4)[0] = pdpt | mm.PTE_P | mm.PTE_W
	amd64.WriteCR3(amd64.ReadCR3())
	tlbShootdown(&cpus[0])
	return true
}
