package runtimehost

import "github.com/limnx/limnx/kernel/mm"

// The runtime's memory lives in space, a range of the upper half; the Go
// runtime's own address hints (lower half) are refused, so it falls back to
// addresses the host picks.
var space mm.Space

const (
	spaceLo = 0xffffc00000000000
	spaceHi = 0xffffe00000000000
)

const (
	_MAP_FIXED     = 0x10
	_MAP_ANONYMOUS = 0x20

	_MADV_DONTNEED = 4
	_MADV_FREE     = 8
)

func pageRound(n uint64) uint64 { return (n + mm.PageSize - 1) &^ (mm.PageSize - 1) }

func sysMmap(t *Thread, f *Frame) int64 {
	addr, length, prot, flags := uintptr(f.Arg(0)), uintptr(pageRound(f.Arg(1))), uint32(f.Arg(2)), f.Arg(3)
	if flags&_MAP_ANONYMOUS == 0 {
		return -ENODEV
	}
	if length == 0 || prot&^(mm.ProtRead|mm.ProtWrite|mm.ProtExec) != 0 {
		return -EINVAL
	}
	prot &^= mm.ProtExec
	if flags&_MAP_FIXED != 0 {
		if addr%mm.PageSize != 0 || !space.Contains(addr, addr+length) {
			return -EINVAL
		}
		if !space.Remove(addr, addr+length) || !space.Set(addr, addr+length, prot) {
			return -ENOMEM
		}
		return int64(addr)
	}
	if addr == 0 || addr%mm.PageSize != 0 || !space.Contains(addr, addr+length) || !space.IsFree(addr, addr+length) {
		var ok bool
		if addr, ok = space.Reserve(length); !ok {
			return -ENOMEM
		}
	}
	if !space.Set(addr, addr+length, prot) {
		return -ENOMEM
	}
	return int64(addr)
}

func sysMunmap(t *Thread, f *Frame) int64 {
	addr, length := uintptr(f.Arg(0)), uintptr(pageRound(f.Arg(1)))
	if addr%mm.PageSize != 0 || !space.Contains(addr, addr+length) {
		return -EINVAL
	}
	if !space.Remove(addr, addr+length) {
		return -ENOMEM
	}
	return 0
}

func sysMadvise(t *Thread, f *Frame) int64 {
	addr, length, advice := uintptr(f.Arg(0)), uintptr(pageRound(f.Arg(1))), f.Arg(2)
	if addr%mm.PageSize != 0 {
		return -EINVAL
	}
	if advice == _MADV_DONTNEED || advice == _MADV_FREE {
		if !space.Contains(addr, addr+length) {
			return -EINVAL
		}
		space.Discard(addr, addr+length)
	}
	return 0
}

func sysMprotect(t *Thread, f *Frame) int64 {
	addr, length, prot := uintptr(f.Arg(0)), uintptr(pageRound(f.Arg(1))), uint32(f.Arg(2))
	if addr%mm.PageSize != 0 || !space.Contains(addr, addr+length) {
		return -EINVAL
	}
	if !space.Set(addr, addr+length, prot&^mm.ProtExec) {
		return -ENOMEM
	}
	return 0
}
