package runtimehost

import "sync/atomic"

const (
	_FUTEX_WAIT = 0
	_FUTEX_WAKE = 1
	_FUTEX_CMD  = 0x7f // strips FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME
)

// sysFutex implements FUTEX_WAIT (with a relative timeout) and FUTEX_WAKE.
// Waiters are found by scanning the thread table for their address.
func sysFutex(t *Thread, f *Frame) int64 {
	addr, op, val := uintptr(f.Arg(0)), f.Arg(1)&_FUTEX_CMD, uint32(f.Arg(2))
	if addr%4 != 0 {
		return -EINVAL
	}
	switch op {
	case _FUTEX_WAIT:
		p := userPtr[uint32](uint64(addr))
		if p == nil {
			return -EFAULT
		}
		if atomic.LoadUint32(p) != val {
			return -EAGAIN
		}
		var deadline int64
		if f.Arg(3) != 0 {
			ts := userPtr[timespec](f.Arg(3))
			if ts == nil {
				return -EFAULT
			}
			if ts.Nsec < 0 || ts.Nsec >= 1e9 || ts.Sec < 0 {
				return -EINVAL
			}
			deadline = nanotime() + ts.ns()
			if deadline <= 0 {
				deadline = 1
			}
		}
		t.futexAddr = addr
		park(t, tsFutex, deadline)
		return 0
	case _FUTEX_WAKE:
		n := int64(0)
		for i := int32(0); i < maxThreads && n < int64(val); i++ {
			if threads[i].state == tsFutex && threads[i].futexAddr == addr {
				wake(i, 0)
				n++
			}
		}
		return n
	}
	return -ENOSYS
}
