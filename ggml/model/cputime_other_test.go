//go:build !linux

package model

import "time"

// processCPU is not measured outside Linux.
func processCPU() time.Duration { return 0 }
