// Package runtimehost answers the system calls that the Go runtime itself
// makes, so that an unmodified GOOS=linux Go program runs in ring 0.
//
// The loader jumps to rt0 (entry_amd64.s), which sets up CPU 0 and runs
// hostInit before the Go runtime starts: frame allocator, descriptor
// tables, clock, LAPIC timer, the other CPUs (startAPs), the console
// interrupt and the vDSO. From then on every SYSCALL enters syscallEntry
// through LSTAR and every exception or interrupt enters trapCommon through
// the IDT (IST stacks). Both save the running thread's registers into its
// Thread (threads = the runtime's Ms, plus one idle thread per CPU), switch
// to the CPU's host stack and run hostMain, which serves the call or trap
// and picks the thread to resume (resume, by IRETQ).
//
// Handlers run to completion on the per-CPU host stack: a call that blocks
// (futex, nanosleep, epoll_pwait, read of an empty pipe or console) parks
// its thread and whoever wakes it writes the result into the parked
// thread's saved registers. So no host code ever sleeps on a stack and no
// per-thread kernel stack is needed.
//
// Vector state: interrupts and exceptions XSAVE the interrupted thread's
// state and resume restores it; system calls skip both, because the
// runtime reaches SYSCALL only from ABI0 assembly whose callers treat
// every vector register as clobbered.
//
// Signals: faults in Go code (page faults outside any region, #GP, #DE,
// #UD) and tgkill'd signals (SIGURG for asynchronous preemption) are
// delivered as Linux rt_sigframes on the thread's sigaltstack;
// rt_sigreturn restores what the handler left there.
//
// Rules for host code (it runs with a fake g, below and beside the Go
// runtime): no allocation, no pointer stores into globals or the heap (they
// would hit the write barrier; host state holds indices and uintptrs), no
// maps, interfaces, defer or fmt; index only where the bounds are known.
//
// Locking: one spin lock, hostLock, taken in hostMain with interrupts
// disabled, guards every thread, the run queue, the fd table, the signal
// state and package mm. Timer ticks, wakeup IPIs and idle polls that change
// nothing take a lock-free fast path (hostFastPath). The console lock
// (klog) nests inside hostLock. TLB shootdowns and the final halt use NMIs,
// which reach CPUs spinning on hostLock with interrupts disabled.
package runtimehost
