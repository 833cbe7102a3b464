package runtimehost

import (
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/bootinfo"
	"github.com/limnx/limnx/kernel/directmap"
	"github.com/limnx/limnx/kernel/klog"
	"github.com/limnx/limnx/kernel/ksym"
	"github.com/limnx/limnx/kernel/mm"
)

// idleStacks are the idle threads' stacks (idleLoop uses none of its own,
// but an interrupt frame needs a valid RSP).
var idleStacks [maxCPUs][512]uint64

// hostInit runs once on CPU 0, called by rt0 on the host stack before the
// Go runtime starts: no package initializer has run yet.
func hostInit() {
	bootinfo.Set(handoffVA)
	h := bootinfo.Get()
	if h == nil {
		klog.Str("limnx: no handoff block from the loader\n")
		amd64.Outb(0xf4, 0x7f)
		amd64.Halt()
	}
	maskPIC()
	ksym.Init(h.ModuleStart+4096, h.ModuleSize-4096) // the kernel ELF follows the module header
	mm.InitFrames(h)
	space.Init(spaceLo, spaceHi, h.PML4)
	kernelImageStart = 0xffffffff80000000
	kernelImageEnd = kernelImageStart + uintptr(h.KernelEnd-h.KernelStart)
	directMapEnd = directmap.Base + uintptr(h.DirectMapSize)
	_, ebx, _, _ := amd64.Cpuid(0xd, 0)
	xsaveSize = ebx
	if xsaveSize > xsaveAreaSize {
		klog.Str("limnx: XSAVE area too large\n")
		amd64.Outb(0xf4, 0x7f)
		amd64.Halt()
	}
	calibrateTSC(h.BootTSC)
	readRTC()
	installVDSO(initialSP)
	startTimer()

	initIDT()
	c := &cpus[0]
	c.id = 0
	setupCPU(c)
	nCPUs = 1

	// Thread 0 is the runtime's first M (running since the loader jumped).
	t := initThread(0)
	t.state = tsRunning
	switchTo(c, 0)
	startIdle(c)
	startAPs(h)
	// The other CPUs run from here on: shared state needs the lock.
	lockHost()
	startConsoleIRQ()
	dropIdentityMap(h.PML4)
	unlockHost()
}

// startIdle creates CPU c's idle thread.
func startIdle(c *CPU) {
	i := idleSlot(c.id)
	c.idle = i
	t := initThread(i)
	t.tid = 0
	nextTid--
	initXsave(t)
	_, _, idle, _ := entryPCs()
	t.frame.RIP = uint64(idle)
	t.frame.CS = amd64.KernelCS
	t.frame.SS = amd64.KernelDS
	t.frame.RFLAGS = 0x2 // IF=0: idleLoop enables interrupts only to HLT
	t.frame.RSP = uint64(uintptr(unsafe.Pointer(&idleStacks[c.id][len(idleStacks[c.id])-2])))
	t.state = tsIdle
}

// maskPIC masks both legacy 8259 PICs: the firmware leaves IRQ0 on vector
// 8, where it would look like a double fault.
func maskPIC() {
	amd64.Outb(0x21, 0xff)
	amd64.Outb(0xa1, 0xff)
}

// hostMain serves the syscall or trap saved in the running thread's frame
// and chooses the thread this CPU resumes. Called by enterHost.
func hostMain() {
	c := curCPU()
	atomic.StoreUint32(&c.halted, 0)
	t := &threads[c.cur]
	if hostFastPath(c, t) {
		return
	}
	lockHost()
	if t.frame.Vector == vectorSyscall {
		doSyscall(c, t)
	} else {
		t.fpuSaved = true // enterHost saved it
		c.traps++
		doTrap(c, t)
	}
	if timedWaits != 0 {
		wakeExpired(nanotime())
	}
	if c.cur == c.idle && threads[c.cur].state == tsRunning && hasRunnable(c) {
		threads[c.cur].state = tsIdle // work arrived: the idle thread steps aside
	}
	schedule(c)
	n := &threads[c.cur]
	c.xrstor = 0
	if n.fpuSaved {
		c.xrstor = 1
		n.fpuSaved = false // live in the CPU from here on
	}
	if c.cur != c.idle {
		n.frame.RFLAGS |= amd64.RFLAGS_IF // Go code runs interruptible
		if n.pending != 0 {
			deliverPending(n)
		}
	}
	unlockHost()
}

// hostFastPath serves, without the host lock, the entries that change no
// shared state: timer ticks and wakeups that need no rescheduling, and
// idle polls when there is nothing to run. It reports whether it did.
// Idle CPUs and ticks thus stay off the lock that every system call takes.
func hostFastPath(c *CPU, t *Thread) bool {
	v := t.frame.Vector
	queued := atomic.LoadUint32(&runqHead) != atomic.LoadUint32(&runqTail)
	due := atomic.LoadInt64(&timedWaitsFast) != 0 && nanotime() >= atomic.LoadInt64(&nextDeadline)
	switch {
	case v == vecTimer || v == vecWakeup:
		amd64.LAPICEOI()
		c.traps++
		if v == vecTimer && c.cur != c.idle {
			t.ticks++
		}
		// A wakeup IPI with work queued always takes the slow path:
		// it may be a pinned thread asking for this CPU (see kick).
		return !due && !(queued && (c.cur == c.idle || t.ticks >= sliceTicks || v == vecWakeup))
	case v == vecSpurious:
		c.traps++
		return true
	case v == vectorSyscall && t.frame.AX == sysIdle && timerReady:
		// Poll a little before halting if this CPU ran a thread just
		// now: under TCG, waking a halted CPU means waking a host thread,
		// which on a loaded host takes far longer than the next piece of
		// work usually does to arrive. A CPU idle for long just halts.
		now := nanotime()
		spin := int64(0)
		if now-c.lastBusy < idleSpinWindowNS {
			spin = idleSpinNS
		}
		for end := now + spin; nanotime() < end; {
			if atomic.LoadUint32(&runqHead) != atomic.LoadUint32(&runqTail) {
				return false
			}
			amd64.Pause()
		}
		// Announce the halt before looking at the queue: a CPU that
		// enqueues afterwards sees halted and sends an IPI (kick), or
		// this CPU sees its thread. Either way no wakeup is lost.
		atomic.StoreUint32(&c.halted, 1)
		if atomic.LoadUint32(&runqHead) != atomic.LoadUint32(&runqTail) ||
			atomic.LoadInt64(&timedWaitsFast) != 0 && nanotime() >= atomic.LoadInt64(&nextDeadline) {
			atomic.StoreUint32(&c.halted, 0)
			return false
		}
		c.syscalls++
		t.frame.AX = 1
		return true
	}
	return false
}

// Exception vectors.
const (
	vecDivide     = 0
	vecDebug      = 1
	vecNMI        = 2
	vecBreakpoint = 3
	vecInvalidOp  = 6
	vecDouble     = 8
	vecGP         = 13
	vecPageFault  = 14
)

var exceptionNames = [32]string{
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 floating point", "alignment check",
	"machine check", "SIMD floating point", "virtualization", "control protection",
	"reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"hypervisor injection", "VMM communication", "security", "reserved",
}

// doTrap handles an exception or interrupt taken by thread t.
func doTrap(c *CPU, t *Thread) {
	f := &t.frame
	switch f.Vector {
	case vecPageFault:
		cr2 := amd64.ReadCR2()
		if space.Fault(uintptr(cr2)) {
			return
		}
		code := int32(_SEGV_MAPERR)
		if f.ErrorCode&1 != 0 {
			code = _SEGV_ACCERR
		}
		if deliverSignal(t, _SIGSEGV, code, cr2) {
			return
		}
	case vecGP:
		if deliverSignal(t, _SIGSEGV, _SI_KERNEL, 0) {
			return
		}
	case vecDivide:
		if deliverSignal(t, _SIGFPE, _FPE_INTDIV, f.RIP) {
			return
		}
	case vecInvalidOp:
		if deliverSignal(t, _SIGILL, _ILL_ILLOPN, f.RIP) {
			return
		}
	}
	if f.Vector >= 32 {
		switch f.Vector {
		case vecTimer:
			tick(c, t) // hostFastPath sent the EOI
		case vecWakeup:
			// A pinned thread waits for this CPU: yield to it now.
			if c.cur != c.idle && t.state == tsRunning && hasRunnable(c) {
				t.ticks = 0
				enqueue(c.cur)
			}
		case vecSerial:
			amd64.LAPICEOI()
			serialInterrupt()
		case vecSpurious:
		default:
			amd64.LAPICEOI()
		}
		return
	}
	fatalTrap(c, f, "in thread")
}

// hostFault is called by trapCommon, on the lower half of the host stack,
// when an exception hits host code itself.
func hostFault(fa uintptr) {
	c := curCPU()
	fatalTrap(c, directmap.At[Frame](fa), "in the runtime host")
}

// fatalTrap reports an exception nothing can handle and stops the machine.
func fatalTrap(c *CPU, f *Frame, where string) {
	haltOthers(c)
	klog.Lock(c.id)
	klog.Str("\nlimnx: fatal exception ")
	klog.Dec(int64(f.Vector))
	if f.Vector < 32 {
		klog.Str(" (")
		klog.Str(exceptionNames[f.Vector])
		klog.Str(")")
	}
	klog.Str(" ")
	klog.Str(where)
	klog.Str(" on CPU ")
	klog.Dec(int64(c.id))
	klog.Str(", thread ")
	klog.Dec(int64(threads[c.cur%maxThreads].tid))
	klog.Str("\n  error ")
	klog.Hex(f.ErrorCode)
	klog.Str("  CR2 ")
	klog.Hex(amd64.ReadCR2())
	klog.Str("\n  at ")
	symbol(f.RIP)
	klog.Byte('\n')
	dumpFrame(f)
	backtrace(f.BP)
	klog.Unlock()
	amd64.Outb(0xf4, 0x7f)
	amd64.Halt()
}

// symbol prints pc as function+offset when the symbol table knows it.
func symbol(pc uint64) {
	klog.Hex(pc)
	if name, off, ok := ksym.Lookup(pc); ok {
		klog.Str(" ")
		klog.Str(name)
		klog.Str("+")
		klog.Hex(off)
	}
}

// backtrace follows the frame-pointer chain from bp (Go keeps frame
// pointers on amd64), checking each frame is readable before touching it.
func backtrace(bp uint64) {
	klog.Str("  backtrace:\n")
	for i := 0; i < 24 && bp != 0 && bp%8 == 0 && readable(bp) && readable(bp+8); i++ {
		ret := *directmap.At[uint64](uintptr(bp + 8))
		if ret == 0 {
			break
		}
		klog.Str("    ")
		symbol(ret)
		klog.Byte('\n')
		bp = *directmap.At[uint64](uintptr(bp))
	}
}

// readable reports whether the host may read the 8 bytes at va without
// faulting: mapped in the runtime's space, or in the direct map or the
// kernel image.
func readable(va uint64) bool {
	h := bootinfo.Get()
	if h == nil {
		return false
	}
	switch {
	case space.Contains(uintptr(va), uintptr(va)+8):
		e := mm.Walk(space.PML4, uintptr(va), false)
		return e != nil && *e&mm.PTE_P != 0
	case va >= directmap.Base && va+8 <= directmap.Base+h.DirectMapSize:
		return true
	case va >= 0xffffffff80000000 && va+8 <= 0xffffffff80000000+h.KernelEnd-h.KernelStart:
		return true
	}
	return false
}

func dumpFrame(f *Frame) {
	regs := [...]struct {
		name string
		v    uint64
	}{
		{"RIP", f.RIP}, {"RSP", f.RSP}, {"RFLAGS", f.RFLAGS}, {"CS", f.CS},
		{"RAX", f.AX}, {"RBX", f.BX}, {"RCX", f.CX}, {"RDX", f.DX},
		{"RSI", f.SI}, {"RDI", f.DI}, {"RBP", f.BP}, {"R8", f.R8},
		{"R9", f.R9}, {"R10", f.R10}, {"R11", f.R11}, {"R12", f.R12},
		{"R13", f.R13}, {"R14", f.R14}, {"R15", f.R15},
	}
	for i, r := range regs {
		klog.Str("  ")
		klog.Str(r.name)
		klog.Str("=")
		klog.Hex(r.v)
		if i%4 == 3 {
			klog.Byte('\n')
		}
	}
	klog.Byte('\n')
}

// The loader reaches rt0 and the CPU reaches the entry stubs only through
// addresses; this reference keeps the linker from dropping them.
func init() { entryPCs() }

// SinceBoot returns the time since the loader's first instruction.
func SinceBoot() time.Duration { return time.Duration(nanotime()) }

// Stats reports counters of the runtime host.
type Stats struct {
	CPUs       int    // CPUs online
	Syscalls   uint64 // system calls served, all CPUs
	Traps      uint64 // exceptions and interrupts taken, all CPUs
	IPIs       uint64 // wakeup IPIs sent, all CPUs
	Signals    uint64 // signals delivered to threads (faults, SIGURG)
	Threads    int    // live threads (the runtime's Ms), idle threads excluded
	FramesUsed uint64 // physical frames in use
	Frames     uint64 // physical frames managed
	TSCHz      uint64 // calibrated TSC rate
}

// ReadStats returns a snapshot of the host's counters.
func ReadStats() Stats {
	var s Stats
	s.CPUs = int(nCPUs)
	for i := range cpus {
		s.Syscalls += cpus[i].syscalls
		s.Traps += cpus[i].traps
		s.IPIs += cpus[i].ipis
	}
	for i := 0; i < maxThreads-maxCPUs; i++ {
		if threads[i].state != tsFree {
			s.Threads++
		}
	}
	s.Frames, s.FramesUsed = mm.FrameStats()
	s.TSCHz = tscHz
	s.Signals = atomic.LoadUint64(&signalsDelivered)
	return s
}

// CPUStat is one CPU's counters.
type CPUStat struct {
	ID       int
	APICID   uint32
	Syscalls uint64 // system calls served
	Traps    uint64 // exceptions and interrupts taken
	IPIs     uint64 // wakeup IPIs sent
	Idle     bool   // running its idle thread
}

// ReadCPUStats returns the counters of every online CPU (a racy snapshot,
// for display).
func ReadCPUStats() []CPUStat {
	n := int(atomic.LoadInt32(&nCPUs))
	out := make([]CPUStat, 0, n)
	for i := 0; i < n; i++ {
		c := &cpus[i]
		out = append(out, CPUStat{ID: c.id, APICID: c.apicID, Syscalls: c.syscalls, Traps: c.traps, IPIs: c.ipis, Idle: c.cur == c.idle})
	}
	return out
}
