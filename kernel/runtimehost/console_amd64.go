package runtimehost

import (
	"github.com/usbarmory/tamago/soc/intel/ioapic"

	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/klog"
)

// Console input: COM1's receive interrupt (ISA IRQ 4, routed through the
// I/O APIC to vecSerial on CPU 0) fills conIn; read(0) takes from it and
// blocks while it is empty. Protected by hostLock.
const vecSerial = 0x24

var (
	conIn     [512]byte
	conHead   uint32
	conTail   uint32
	ioapic0   ioapic.IOAPIC
	conIRQ    bool
	conWaiter int32 = -1 // thread parked in read(0), or -1
)

// startConsoleIRQ routes COM1's interrupt through the I/O APIC the MADT
// names and enables the UART's receive interrupt.
func startConsoleIRQ() {
	if madt.IOAPICAddr == 0 {
		return
	}
	ioapic0 = ioapic.IOAPIC{Index: 0, Base: madt.IOAPICAddr, GSIBase: int(madt.IOAPICGSI)}
	ioapic0.EnableInterrupt(int(madt.ISAGSI[4]), vecSerial)
	amd64.Outb(0x3f8+1, 0x01) // IER: received data available
	amd64.Outb(0x3f8+4, 0x0b) // MCR: DTR, RTS, OUT2 (interrupts to the PIC/IOAPIC)
	conIRQ = true
}

// serialInterrupt drains the UART into conIn and completes a pending read.
func serialInterrupt() {
	for {
		b, ok := klog.RxByte()
		if !ok {
			break
		}
		if conTail-conHead < uint32(len(conIn)) {
			conIn[conTail%uint32(len(conIn))] = b
			conTail++
		}
	}
	if conWaiter >= 0 && conTail != conHead {
		t := &threads[conWaiter]
		conWaiter = -1
		if b, ok := userBytes(uint64(t.rdBuf), uint64(t.rdLen)); ok {
			wake(t.index(), int64(conCopy(b)))
		} else {
			wake(t.index(), -EFAULT)
		}
	}
}

// conCopy moves buffered console input into b and returns the count.
func conCopy(b []byte) int {
	n := 0
	for n < len(b) && conHead != conTail {
		b[n] = conIn[conHead%uint32(len(conIn))]
		conHead++
		n++
	}
	return n
}

// consoleRead serves read(0): buffered input at once, else the thread
// parks until the UART interrupt brings some.
func consoleRead(t *Thread, f *Frame, b []byte, nonblock bool) int64 {
	if len(b) == 0 {
		return 0
	}
	if conHead != conTail {
		return int64(conCopy(b))
	}
	if nonblock || !conIRQ || conWaiter >= 0 {
		return -EAGAIN
	}
	t.rdBuf, t.rdLen = uintptr(f.SI), uintptr(len(b))
	conWaiter = t.index()
	park(t, tsConsole, 0)
	return 0
}
