package amd64_test

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the calling thread's CPU time (the benchmarks lock
// their goroutine to a thread), or 0 if the clock cannot be read. On a
// shared machine it measures a kernel's speed where wall time measures
// the neighbours' load.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
