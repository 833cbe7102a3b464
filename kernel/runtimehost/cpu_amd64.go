package runtimehost

import (
	"sync/atomic"
	"unsafe"

	"github.com/limnx/limnx/kernel/arch/amd64"
)

const (
	maxCPUs       = 16
	hostStackSize = 64 << 10 // HOST_STACK in entry_amd64.s
	istStackSize  = 16 << 10
)

// hostG stands in for the runtime's g while host code runs: Go function
// prologues compare SP with stackguard0 (offset 16), so its stack bounds
// describe the CPU's host stack. The rest stays zero (g.m is nil).
type hostG struct {
	stackLo, stackHi uintptr
	guard0, guard1   uintptr
	_                [60]uintptr
}

// CPU is one processor's block; GS points at it. The first fields are read
// by entry_amd64.s at fixed offsets (see TestCPULayout).
type CPU struct {
	self     uintptr    // 0x00 this block's address
	frame    uintptr    // 0x08 the running thread's Frame
	scratch  uintptr    // 0x10 caller RSP during syscall entry
	stackTop uintptr    // 0x18 host stack top
	hostFS   uintptr    // 0x20 FS base while host code runs (&tls[1])
	xsave    uintptr    // 0x28 the running thread's XSAVE area
	threadFS uintptr    // 0x30 the running thread's FS base
	inHost   uintptr    // 0x38 1 while host code runs
	tls      [2]uintptr // 0x40 tls[0] = &g, read by Go code as FS:-8
	xrstor   uintptr    // 0x50 1: resume restores the vector state from xsave
	g        hostG      // 0x58

	id       int
	apicID   uint32
	halted   uint32 // 1 while the idle thread waits in HLT
	lastBusy int64  // nanotime when this CPU last left a non-idle thread
	cur      int32  // running thread index
	idle     int32  // this CPU's idle thread index
	online   uint32
	gdt      amd64.GDT
	tss      amd64.TSS

	syscalls uint64 // system calls served
	traps    uint64 // exceptions and interrupts taken
	ipis     uint64 // wakeup IPIs sent
}

var (
	cpus       [maxCPUs]CPU
	hostStacks [maxCPUs][hostStackSize]byte
	istStacks  [maxCPUs][2][istStackSize]byte
	idt        amd64.IDT
	nCPUs      int32 // CPUs online
)

// Set by rt0 before anything else runs.
var (
	handoffVA uintptr
	initialSP uintptr
)

// Implemented in entry_amd64.s.
func thisCPU() uintptr
func setGSBase(v uintptr)
func entryPCs() (syscall, rt0, idle, trapCommon uintptr)
func vectorStub(v uint8) uintptr

// curCPU returns the block of the CPU running the caller (host code only).
func curCPU() *CPU {
	i := (thisCPU() - uintptr(unsafe.Pointer(&cpus[0]))) / unsafe.Sizeof(cpus[0])
	return &cpus[i%maxCPUs]
}

// setupCPU loads CPU c's GDT, TSS (IST1 for traps, IST2 for NMI, #DF and
// #MC), the shared IDT and the SYSCALL MSRs.
func setupCPU(c *CPU) {
	c.tss.SetIST(1, uintptr(unsafe.Pointer(&istStacks[c.id][0]))+istStackSize)
	c.tss.SetIST(2, uintptr(unsafe.Pointer(&istStacks[c.id][1]))+istStackSize)
	c.gdt.Init(&c.tss)
	c.gdt.Load()
	idt.Load()
	sysEntry, _, _, _ := entryPCs()
	amd64.Wrmsr(amd64.MSR_LSTAR, uint64(sysEntry))
	amd64.Wrmsr(amd64.MSR_STAR, uint64(amd64.KernelCS)<<32|uint64(0x18)<<48)
	amd64.Wrmsr(amd64.MSR_FMASK, amd64.RFLAGS_IF|amd64.RFLAGS_TF|amd64.RFLAGS_DF|amd64.RFLAGS_AC)
	amd64.Wrmsr(amd64.MSR_TSC_AUX, uint64(c.id))
	atomic.StoreUint32(&c.online, 1)
}

// initIDT points every vector at its stub.
func initIDT() {
	for v := 0; v < 256; v++ {
		ist := uint8(1)
		switch v {
		case 2, 8, 18: // NMI, double fault, machine check
			ist = 2
		}
		idt.SetGate(uint8(v), vectorStub(uint8(v)), ist)
	}
}
