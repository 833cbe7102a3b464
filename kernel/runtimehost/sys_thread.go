package runtimehost

import (
	"sync/atomic"
)

const (
	_CLONE_VM     = 0x100
	_CLONE_SETTLS = 0x80000
	_CLONE_THREAD = 0x10000
)

// sysClone starts a thread that shares everything with its parent: the
// child resumes at the parent's return address with RAX = 0 and RSP = the
// new stack (vector registers are dead across a system call).
func sysClone(t *Thread, f *Frame) int64 {
	flags, stack, tls := f.Arg(0), f.Arg(1), f.Arg(4)
	if flags&(_CLONE_VM|_CLONE_THREAD) != _CLONE_VM|_CLONE_THREAD {
		return -EINVAL
	}
	i := allocThread()
	if i < 0 {
		return -EAGAIN
	}
	n := initThread(i)
	n.frame = *f
	n.frame.SetRet(0)
	n.frame.SetSP(stack)
	n.fsBase = t.fsBase
	if flags&_CLONE_SETTLS != 0 {
		n.fsBase = tls
	}
	n.sigmask = t.sigmask
	n.affinity = t.affinity
	enqueue(i)
	kick(curCPU(), i)
	return int64(n.tid)
}

// sysExit ends the calling thread.
func sysExit(t *Thread, f *Frame) int64 {
	t.state = tsFree
	return 0
}

// sysExitGroup stops the machine: the kernel program has exited.
func sysExitGroup(t *Thread, f *Frame) int64 {
	shutdown(int(int32(f.Arg(0))))
	return 0
}

func sysGettid(t *Thread, f *Frame) int64 { return int64(t.tid) }
func sysGetpid(t *Thread, f *Frame) int64 { return 1 }

// sysSchedYield puts the caller at the back of the run queue.
func sysSchedYield(t *Thread, f *Frame) int64 {
	f.SetRet(0)
	enqueue(curCPU().cur)
	return 0
}

// sysSchedGetaffinity reports every online CPU; the runtime sizes
// GOMAXPROCS from it.
func sysSchedGetaffinity(t *Thread, f *Frame) int64 {
	size, mask := f.Arg(1), f.Arg(2)
	if size < 8 {
		return -EINVAL
	}
	p := userPtr[uint64](mask)
	if p == nil {
		return -EFAULT
	}
	n := atomic.LoadInt32(&nCPUs)
	*p = 1<<uint(n) - 1
	if t.affinity != 0 && f.Arg(0) == 0 {
		*p = t.affinity
	}
	return 8
}

// sysSchedSetaffinity pins the calling thread (pid 0 or its own tid) to
// the CPUs in the mask; if the current CPU is not among them the thread
// moves at once.
func sysSchedSetaffinity(t *Thread, f *Frame) int64 {
	if f.Arg(0) != 0 && int32(f.Arg(0)) != t.tid {
		return -EPERM
	}
	if f.Arg(1) < 8 {
		return -EINVAL
	}
	p := userPtr[uint64](f.Arg(2))
	if p == nil {
		return -EFAULT
	}
	all := uint64(1)<<uint(atomic.LoadInt32(&nCPUs)) - 1
	mask := *p & all
	if mask == 0 {
		return -EINVAL
	}
	if mask == all {
		mask = 0
	}
	t.affinity = mask
	c := curCPU()
	if !runsOn(c.cur, c) {
		f.SetRet(0)
		enqueue(c.cur)
		kick(c, c.cur)
	}
	return 0
}

// sysIdleCall serves an idle thread: if work is queued, the idle thread
// steps aside; else it learns whether it may halt (1) or must poll (0).
func sysIdleCall(c *CPU, t *Thread) int64 {
	if hasRunnable(c) {
		t.state = tsIdle
		t.frame.AX = 0
		return 0
	}
	if timerReady {
		atomic.StoreUint32(&c.halted, 1)
		return 1
	}
	return 0
}

// timerReady is set once a periodic interrupt wakes halted CPUs.
var timerReady bool
