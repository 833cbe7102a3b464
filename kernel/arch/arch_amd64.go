package arch

import "github.com/limnx/limnx/kernel/arch/amd64"

// Name is the architecture's name as uname reports it.
const Name = "x86_64"

// Pause is the spin-wait hint.
func Pause() { amd64.Pause() }

// Halt stops this CPU for good, interrupts off.
func Halt() { amd64.Halt() }

// Cycles returns a fast, monotonic cycle counter (the TSC).
func Cycles() uint64 { return amd64.Rdtsc() }

// Entropy returns 64 bits from the CPU's hardware random source (RDSEED,
// else RDRAND); ok is false if it has none or it failed.
func Entropy() (v uint64, ok bool) {
	if v, ok := amd64.Rdseed(); ok {
		return v, true
	}
	return amd64.Rdrand()
}

// CPU returns the number of the CPU running the caller (set up by the
// runtime host at bring-up); it may be stale once returned.
func CPU() int {
	_, aux := amd64.Rdtscp()
	return int(aux)
}
