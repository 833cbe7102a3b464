// Package runtimehost answers the system calls that the Go runtime itself
// makes, so that an unmodified GOOS=linux Go program runs in ring 0.
//
// The loader jumps to rt0 (entry_amd64.s), which sets up CPU 0 and runs
// hostInit before the Go runtime starts; from then on every SYSCALL enters
// syscallEntry through LSTAR and every exception or interrupt enters
// trapCommon through the IDT. Both save the running thread's registers into
// its Thread (threads = the runtime's Ms), switch to the CPU's host stack
// and run hostMain, which serves the call or trap and picks the thread to
// resume. Handlers run to completion: a call that blocks (futex, nanosleep,
// epoll_pwait) parks its thread and the waker writes the result into the
// parked thread's saved RAX, so no host code ever sleeps on a stack.
//
// Rules for host code (it runs with a fake g, below and beside the Go
// runtime): no allocation, no pointer stores into globals or the heap (they
// would hit the write barrier; host state holds indices and uintptrs), no
// maps, interfaces, defer or fmt; index only where the bounds are known.
//
// Locking: one spin lock, hostLock, taken in hostMain with interrupts
// disabled, guards every thread, the scheduler, the fd table and package mm.
// The console lock (klog) nests inside it.
package runtimehost
