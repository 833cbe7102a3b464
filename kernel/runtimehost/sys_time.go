package runtimehost

const (
	_CLOCK_REALTIME           = 0
	_CLOCK_MONOTONIC          = 1
	_CLOCK_PROCESS_CPUTIME_ID = 2
	_CLOCK_THREAD_CPUTIME_ID  = 3
	_CLOCK_MONOTONIC_RAW      = 4
	_CLOCK_REALTIME_COARSE    = 5
	_CLOCK_MONOTONIC_COARSE   = 6
	_CLOCK_BOOTTIME           = 7
)

func sysClockGettime(t *Thread, f *Frame) int64 {
	var ns int64
	switch f.Arg(0) {
	case _CLOCK_REALTIME, _CLOCK_REALTIME_COARSE:
		ns = walltime()
	case _CLOCK_MONOTONIC, _CLOCK_MONOTONIC_RAW, _CLOCK_MONOTONIC_COARSE, _CLOCK_BOOTTIME,
		_CLOCK_PROCESS_CPUTIME_ID, _CLOCK_THREAD_CPUTIME_ID:
		ns = nanotime()
	default:
		return -EINVAL
	}
	ts := userPtr[timespec](f.Arg(1))
	if ts == nil {
		return -EFAULT
	}
	ts.Sec, ts.Nsec = ns/1e9, ns%1e9
	return 0
}

// sysNanosleep parks the caller until the relative time has passed.
func sysNanosleep(t *Thread, f *Frame) int64 {
	ts := userPtr[timespec](f.Arg(0))
	if ts == nil {
		return -EFAULT
	}
	if ts.Nsec < 0 || ts.Nsec >= 1e9 || ts.Sec < 0 {
		return -EINVAL
	}
	d := ts.ns()
	if d <= 0 {
		return 0
	}
	park(t, tsSleep, nanotime()+d)
	return 0
}
