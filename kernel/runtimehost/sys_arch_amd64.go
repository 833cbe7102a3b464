package runtimehost

import (
	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/klog"
)

const (
	_ARCH_SET_FS = 0x1002
	_ARCH_GET_FS = 0x1003
)

// shutdown reports the exit status and leaves QEMU through isa-debug-exit
// (QEMU's status is code*2+1), halting the CPU if that device is absent.
func shutdown(code int) {
	c := curCPU()
	haltOthers(c)
	klog.Lock(c.id)
	klog.Str("limnx: exit status ")
	klog.Dec(int64(code))
	klog.Byte('\n')
	klog.Unlock()
	amd64.Outb(0xf4, uint8(code&0x7f))
	amd64.Halt()
}

func sysArchPrctl(t *Thread, f *Frame) int64 {
	switch f.Arg(0) {
	case _ARCH_SET_FS:
		t.fsBase = f.Arg(1)
		curCPU().threadFS = uintptr(f.Arg(1))
		return 0
	case _ARCH_GET_FS:
		p := userPtr[uint64](f.Arg(1))
		if p == nil {
			return -EFAULT
		}
		*p = t.fsBase
		return 0
	}
	return -EINVAL
}
