package runtimehost

import "github.com/limnx/limnx/kernel/klog"

// sigaction is the kernel's struct sigaction on x86-64.
type sigaction struct {
	Handler, Flags, Restorer, Mask uint64
}

const nSignals = 64

// sigactions holds the handlers the runtime installed; protected by
// hostLock. Faults in Go code are delivered (signal.go); asynchronous
// signals are not yet (the loader sets GODEBUG=asyncpreemptoff=1).
var sigactions [nSignals + 1]sigaction

const _SIGURG = 23

func sysRtSigaction(t *Thread, f *Frame) int64 {
	sig, act, oact := f.Arg(0), f.Arg(1), f.Arg(2)
	if sig < 1 || sig > nSignals {
		return -EINVAL
	}
	if oact != 0 {
		p := userPtr[sigaction](oact)
		if p == nil {
			return -EFAULT
		}
		*p = sigactions[sig]
	}
	if act != 0 {
		p := userPtr[sigaction](act)
		if p == nil {
			return -EFAULT
		}
		sigactions[sig] = *p
	}
	return 0
}

func sysRtSigprocmask(t *Thread, f *Frame) int64 {
	how, set, oset := f.Arg(0), f.Arg(1), f.Arg(2)
	old := t.sigmask
	if set != 0 {
		p := userPtr[uint64](set)
		if p == nil {
			return -EFAULT
		}
		switch how {
		case 0: // SIG_BLOCK
			t.sigmask |= *p
		case 1: // SIG_UNBLOCK
			t.sigmask &^= *p
		case 2: // SIG_SETMASK
			t.sigmask = *p
		default:
			return -EINVAL
		}
	}
	if oset != 0 {
		p := userPtr[uint64](oset)
		if p == nil {
			return -EFAULT
		}
		*p = old
	}
	return 0
}

func sysSigaltstack(t *Thread, f *Frame) int64 {
	ss, oss := f.Arg(0), f.Arg(1)
	old := t.altstack
	if ss != 0 {
		p := userPtr[[3]uint64](ss)
		if p == nil {
			return -EFAULT
		}
		t.altstack = *p
	}
	if oss != 0 {
		p := userPtr[[3]uint64](oss)
		if p == nil {
			return -EFAULT
		}
		*p = old
	}
	return 0
}

// sysTgkill sends sig to thread tid. With a handler installed the signal
// becomes pending and is delivered when the thread next returns from the
// host (an IPI hurries a thread running on another CPU): this is how the
// runtime's asynchronous preemption (SIGURG) works. Without a handler,
// signals whose default is to be ignored are dropped, and any other means
// the runtime is aborting (it resets the handler before raising): the
// machine stops.
func sysTgkill(t *Thread, f *Frame) int64 {
	tid, sig := int32(f.Arg(1)), f.Arg(2)
	if sig > nSignals {
		return -EINVAL
	}
	if sig == 0 {
		return 0
	}
	sa := &sigactions[sig]
	switch {
	case sa.Handler == 1: // SIG_IGN
		return 0
	case sa.Handler == 0 && (sig == _SIGURG || sig == _SIGCHLD || sig == _SIGWINCH):
		return 0
	case sa.Handler == 0:
		c := curCPU()
		klog.Lock(c.id)
		klog.Str("limnx: the Go runtime raised signal ")
		klog.Dec(int64(sig))
		klog.Str("; stopping\n")
		klog.Unlock()
		shutdown(2)
		return 0
	}
	for i := int32(0); i < maxThreads-maxCPUs; i++ {
		u := &threads[i]
		if u.state == tsFree || u.tid != tid {
			continue
		}
		u.pending |= 1 << (sig - 1)
		if u.state == tsRunning && u != t {
			wakeCPU(&cpus[u.cpu%maxCPUs])
		}
		return 0
	}
	return -ESRCH
}

const (
	_SIGCHLD  = 17
	_SIGWINCH = 28
	_SI_TKILL = -6

	_SA_NODEFER = 0x40000000
)

// deliverPending delivers one pending, unblocked signal to thread t, which
// is about to resume. A thread without an alternate signal stack keeps its
// signals pending (Go requires its handler to run on the gsignal stack).
func deliverPending(t *Thread) {
	ready := t.pending &^ t.sigmask
	if ready == 0 || t.altstack[1]&_SS_DISABLE != 0 || t.altstack[2] == 0 {
		return
	}
	sig := 1
	for ready&1 == 0 {
		ready >>= 1
		sig++
	}
	t.pending &^= 1 << (sig - 1)
	deliverSignal(t, sig, _SI_TKILL, 0)
}
