package quant

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time of the calling OS thread, so that
// benchmarks on a shared host can report time that other processes do not
// inflate (lock the goroutine to its thread first).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
