package runtimehost

import (
	"sync/atomic"
	"unsafe"

	"github.com/limnx/limnx/kernel/acpi"
	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/bootinfo"
	"github.com/limnx/limnx/kernel/directmap"
)

// apParams is the AP trampoline's parameter block (loader.asm ap_params),
// followed by a table indexed by local APIC ID.
type apParams struct {
	cr3, xcr0, _, entry, _, started uint64
	table                           [64]struct{ stack, cpu uint64 }
}

// Implemented in entry_amd64.s.
func apEntryPC() uintptr

// madt is what ACPI reported at boot.
var madt acpi.MADT

// initCPUBlock prepares CPU block c (the AP equivalent of rt0's setup).
func initCPUBlock(c *CPU, id int) {
	c.id = id
	c.self = uintptr(unsafe.Pointer(c))
	lo := uintptr(unsafe.Pointer(&hostStacks[id][0]))
	c.g.stackLo, c.g.stackHi = lo, lo+hostStackSize
	c.g.guard0, c.g.guard1 = lo+2048, lo+2048
	c.stackTop = lo + hostStackSize
	c.tls[0] = uintptr(unsafe.Pointer(&c.g))
	c.hostFS = uintptr(unsafe.Pointer(&c.tls[1]))
	c.inHost = 1
}

// delay spins for ns nanoseconds.
func delay(ns int64) {
	end := nanotime() + ns
	for nanotime() < end {
		amd64.Pause()
	}
}

// startAPs starts every other processor ACPI lists, all at once, with
// INIT-SIPI-SIPI and waits until they are online. It runs in hostInit, so
// the Go runtime sees all CPUs (sched_getaffinity) from its first look.
func startAPs(h *bootinfo.Handoff) {
	cpus[0].apicID = amd64.LAPICID()
	si := directmap.Ptr[[7]uint64](h.StartInfo)
	var ok bool
	if madt, ok = acpi.ReadMADT(si[4]); !ok || h.APParams == 0 {
		return // rsdp_paddr is at offset 32 of hvm_start_info
	}
	p := directmap.Ptr[apParams](h.APParams)
	p.cr3 = amd64.ReadCR3()
	p.xcr0 = amd64.Xgetbv()
	p.entry = uint64(apEntryPC())
	atomic.StoreUint64(&p.started, 0)
	n := 1
	for i := 0; i < madt.NLAPICs && n < maxCPUs; i++ {
		id := madt.LAPICs[i]
		if id == cpus[0].apicID || id >= uint32(len(p.table)) {
			continue
		}
		c := &cpus[n]
		initCPUBlock(c, n)
		c.apicID = id
		p.table[id].stack = uint64(c.stackTop)
		p.table[id].cpu = uint64(c.self)
		n++
	}
	// No 10 ms wait after INIT: processors with an integrated APIC do not
	// need it (Linux dropped it for family 6 and later).
	vector := uint8(h.APParams >> 12)
	for i := 1; i < n; i++ {
		amd64.SendIPI(cpus[i].apicID, amd64.ICRInit, 0)
	}
	for i := 1; i < n; i++ {
		amd64.SendIPI(cpus[i].apicID, amd64.ICRSIPI, vector)
	}
	delay(200_000)
	for i := 1; i < n; i++ {
		if atomic.LoadUint32(&cpus[i].online) == 0 {
			amd64.SendIPI(cpus[i].apicID, amd64.ICRSIPI, vector) // ignored by a running CPU
		}
	}
	end := nanotime() + 2_000_000_000
	online := 1
	for online < n && nanotime() < end {
		online = 1
		for online < n && atomic.LoadUint32(&cpus[online].online) != 0 {
			online++
		}
		amd64.Pause()
	}
	atomic.StoreInt32(&nCPUs, int32(online)) // CPUs 0..online-1, contiguous
}

// apMain brings up an application processor in host context: descriptor
// tables, SYSCALL, its timer and its idle thread, which it then resumes.
func apMain() {
	c := curCPU()
	setupCPU(c)
	startTimer()
	lockHost()
	startIdle(c)
	switchTo(c, c.idle)
	unlockHost()
}

// haltAll is set when the machine stops; nmiEntry then halts its CPU.
var haltAll uint32

// haltOthers stops every other CPU (by NMI, which reaches CPUs spinning
// on the host lock with interrupts disabled).
func haltOthers(self *CPU) {
	atomic.StoreUint32(&haltAll, 1)
	n := atomic.LoadInt32(&nCPUs)
	for i := int32(0); i < n; i++ {
		if c := &cpus[i]; c != self && atomic.LoadUint32(&c.online) != 0 {
			amd64.SendIPI(c.apicID, amd64.ICRNMI, 0)
		}
	}
}

// tlbAcks counts the CPUs that flushed their TLB for the current shootdown
// (incremented by nmiEntry).
var tlbAcks uint32

// tlbShootdown makes every other online CPU flush its TLB and waits until
// all have. Called with hostLock held after mappings were removed; NMI
// reaches CPUs spinning on the lock with interrupts disabled.
func tlbShootdown(self *CPU) {
	n := atomic.LoadInt32(&nCPUs)
	if n <= 1 {
		return
	}
	atomic.StoreUint32(&tlbAcks, 0)
	sent := uint32(0)
	for i := int32(0); i < n; i++ {
		c := &cpus[i]
		if c != self && atomic.LoadUint32(&c.online) != 0 {
			amd64.SendIPI(c.apicID, amd64.ICRNMI, 0)
			sent++
		}
	}
	for atomic.LoadUint32(&tlbAcks) < sent {
		amd64.Pause()
	}
}

// wakeCPU interrupts CPU c so that it passes through the host soon.
func wakeCPU(c *CPU) { amd64.SendIPI(c.apicID, amd64.ICRFixed, vecWakeup) }

// kick makes a thread just made runnable start soon: it wakes a halted CPU
// other than self on which thread th may run. A pinned thread whose CPUs
// are all busy gets one of them interrupted (wakeup preemption, see
// doTrap), rather than waiting up to a full slice.
func kick(self *CPU, th int32) {
	n := atomic.LoadInt32(&nCPUs)
	busy := -1
	for i := int32(0); i < n; i++ {
		c := &cpus[i]
		if c == self || !runsOn(th, c) {
			continue
		}
		if atomic.LoadUint32(&c.halted) != 0 {
			atomic.StoreUint32(&c.halted, 0)
			amd64.SendIPI(c.apicID, amd64.ICRFixed, vecWakeup)
			self.ipis++
			return
		}
		if busy < 0 && c.cur != c.idle {
			busy = int(i)
		}
	}
	if busy >= 0 && threads[th].affinity != 0 {
		amd64.SendIPI(cpus[busy].apicID, amd64.ICRFixed, vecWakeup)
		self.ipis++
	}
}
