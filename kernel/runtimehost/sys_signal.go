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
	sig, act, oact := f.DI, f.SI, f.DX
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
	how, set, oset := f.DI, f.SI, f.DX
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
	ss, oss := f.DI, f.SI
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

// sysTgkill ignores SIGURG (preemption requests) and treats any other
// signal as the runtime aborting: the machine stops.
func sysTgkill(t *Thread, f *Frame) int64 {
	sig := f.DX
	if sig == _SIGURG || sig == 0 {
		return 0
	}
	c := curCPU()
	klog.Lock(c.id)
	klog.Str("limnx: the Go runtime raised signal ")
	klog.Dec(int64(sig))
	klog.Str("; stopping\n")
	klog.Unlock()
	shutdown(2)
	return 0
}
