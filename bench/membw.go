package main

import (
	"sync"
	"time"
)

// copyBandwidth returns the memory bandwidth in bytes per second seen by
// threads goroutines each copying its share of an nBytes buffer into
// another, counting both the bytes read and the bytes written (as STREAM's
// Copy does). It takes the best of 20 rounds, since other work on the
// machine only ever lowers the figure. nBytes should be well past
// the last-level cache (the default 256 MiB is).
func copyBandwidth(nBytes, threads int) float64 {
	src := make([]byte, nBytes)
	dst := make([]byte, nBytes)
	for i := 0; i < nBytes; i += 4096 { // fault every page in before timing
		src[i] = byte(i >> 12)
		dst[i] = 1
	}
	chunk := (nBytes + threads - 1) / threads
	best := 0.0
	var wg sync.WaitGroup
	for round := 0; round < 20; round++ {
		start := time.Now()
		for lo := 0; lo < nBytes; lo += chunk {
			hi := min(lo+chunk, nBytes)
			wg.Add(1)
			go func() {
				defer wg.Done()
				copy(dst[lo:hi], src[lo:hi])
			}()
		}
		wg.Wait()
		if r := 2 * float64(nBytes) / time.Since(start).Seconds(); r > best {
			best = r
		}
	}
	return best
}
