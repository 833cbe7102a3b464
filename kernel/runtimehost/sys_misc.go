package runtimehost

import (
	"syscall"

	"github.com/limnx/limnx/kernel/arch"
	"github.com/limnx/limnx/kernel/csprng"
	"github.com/limnx/limnx/kernel/directmap"
)

func sysUname(t *Thread, f *Frame) int64 {
	p := userPtr[[6][65]byte](f.Arg(0))
	if p == nil {
		return -EFAULT
	}
	fields := [6]string{"Linux", "limnx", "6.1.0-limnx", "#1 SMP Limnx", arch.Name, "(none)"}
	for i := range fields {
		clear(p[i][:])
		copy(p[i][:64], fields[i])
	}
	return 0
}

// rlimits holds prlimit64's limits per resource: {cur, max}.
var rlimits [16][2]uint64

const rlimInfinity = ^uint64(0)

func sysPrlimit64(t *Thread, f *Frame) int64 {
	res, newp, oldp := f.Arg(1), f.Arg(2), f.Arg(3)
	if res >= uint64(len(rlimits)) {
		return -EINVAL
	}
	cur := rlimits[res]
	if cur == [2]uint64{} {
		cur = [2]uint64{rlimInfinity, rlimInfinity}
		if res == 7 { // RLIMIT_NOFILE
			cur = [2]uint64{1024, 4096}
		}
	}
	if oldp != 0 {
		p := userPtr[[2]uint64](oldp)
		if p == nil {
			return -EFAULT
		}
		*p = cur
	}
	if newp != 0 {
		p := userPtr[[2]uint64](newp)
		if p == nil {
			return -EFAULT
		}
		rlimits[res] = *p
	}
	return 0
}

func sysGetrandom(t *Thread, f *Frame) int64 {
	n := f.Arg(1)
	if n > 1<<20 {
		n = 1 << 20
	}
	b, ok := userBytes(f.Arg(0), n)
	if !ok {
		return -EFAULT
	}
	randomFill(b)
	return int64(n)
}

// rng serves getrandom; protected by hostLock.
var rng csprng.Generator

func randomFill(b []byte) { rng.Read(b, arch.Entropy, arch.Cycles()) }

// debugFault reads from addr inside the host; with an unmapped address it
// faults and the crash report follows. Reached only through sysDebugFault.
//
//go:noinline
func debugFault(addr uint64) int64 {
	return int64(*directmap.At[uint64](uintptr(addr)))
}

// DebugFault asks the runtime host to fault at addr, to test the crash
// report. It does not return if addr is unmapped.
func DebugFault(addr uintptr) {
	syscall.RawSyscall(sysDebugFault, addr, 0, 0)
}
