//go:build !linux

package amd64_test

import "time"

// threadCPU is unavailable here: the benchmarks then report wall time only.
func threadCPU() time.Duration { return 0 }
