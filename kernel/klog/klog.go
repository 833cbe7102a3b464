// Package klog writes the kernel's console output to the serial port
// (COM1 on x86-64, through tamago's uart driver: serial_amd64.go).
//
// The printers here do not allocate and may run in the runtime host with
// interrupts disabled; they serialize whole lines across CPUs with a spin
// lock taken by Lock/Unlock. Ordinary Go code prints through os.Stdout,
// which the runtime host forwards here.
package klog

import (
	"sync/atomic"

	"github.com/limnx/limnx/kernel/arch"
)

// lock is 0 when free, else 1 + the holder's CPU number.
var lock uint32

// Lock takes the console lock for CPU cpu. Printers called between Lock and
// Unlock come out as one piece.
func Lock(cpu int) {
	for !atomic.CompareAndSwapUint32(&lock, 0, uint32(cpu)+1) {
		if atomic.LoadUint32(&lock) == uint32(cpu)+1 {
			return // re-entered on the same CPU (fatal path): go ahead
		}
		arch.Pause()
	}
}

// Unlock releases the console lock.
func Unlock() { atomic.StoreUint32(&lock, 0) }

// Byte writes one byte, turning "\n" into "\r\n".
func Byte(c byte) {
	if c == '\n' {
		tx('\r')
	}
	tx(c)
}

// Str writes s.
func Str(s string) {
	for i := 0; i < len(s); i++ {
		Byte(s[i])
	}
}

// Bytes writes b.
func Bytes(b []byte) {
	for i := 0; i < len(b); i++ {
		Byte(b[i])
	}
}

// Hex writes v as 0x followed by 16 hex digits.
func Hex(v uint64) {
	const digits = "0123456789abcdef"
	Str("0x")
	for s := 60; s >= 0; s -= 4 {
		Byte(digits[(v>>uint(s))&15])
	}
}

// Dec writes v in decimal.
func Dec(v int64) {
	if v < 0 {
		Byte('-')
		v = -v
	}
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 || i == 0 {
			break
		}
	}
	Bytes(buf[i:])
}
