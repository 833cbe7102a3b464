package amd64

import (
	"sync/atomic"
	"unsafe"

	"github.com/usbarmory/tamago/amd64/lapic"
)

// LAPICBase is the local APIC's MMIO base; tamago's lapic package reaches
// it at VA == PA through the loader's identity map.
const LAPICBase = 0xfee00000

// Local APIC registers not covered by tamago's lapic package.
const (
	lapicTPR          = 0x80
	lapicESR          = 0x280
	lapicTimerInitial = 0x380
	lapicTimerCurrent = 0x390
	lapicTimerDivide  = 0x3e0
	lapicICRLow       = 0x300
	lapicICRHigh      = 0x310
)

// LAPIC is this CPU's local APIC (every CPU sees its own at LAPICBase).
var LAPIC = lapic.LAPIC{Base: LAPICBase}

func lapicReg(off uint32) *uint32 {
	va := uintptr(LAPICBase + off)
	return (*uint32)(*(*unsafe.Pointer)(unsafe.Pointer(&va)))
}

// LAPICWrite writes local APIC register off.
func LAPICWrite(off, v uint32) { atomic.StoreUint32(lapicReg(off), v) }

// LAPICRead reads local APIC register off.
func LAPICRead(off uint32) uint32 { return atomic.LoadUint32(lapicReg(off)) }

// LAPICEnable software-enables this CPU's local APIC with spurious vector
// 0xff and accepts every priority.
func LAPICEnable() {
	LAPICWrite(0xf0, LAPICRead(0xf0)|0xff)
	LAPIC.Enable()
	LAPICWrite(lapicTPR, 0)
}

// LAPICEOI signals the end of an interrupt.
func LAPICEOI() { LAPIC.ClearInterrupt() }

// LAPICID returns this CPU's APIC ID.
func LAPICID() uint32 { return LAPIC.ID() }

// TimerCountPer measures how many LAPIC timer ticks (divider 16) pass while
// wait runs.
func TimerCountPer(wait func()) uint32 {
	LAPICWrite(lapicTimerDivide, 0x3) // divide by 16
	LAPIC.SetTimer(0xff, lapic.TIMER_MODE_ONE_SHOT)
	LAPICWrite(0x320, LAPICRead(0x320)|1<<16) // masked
	LAPICWrite(lapicTimerInitial, 0xffffffff)
	wait()
	n := 0xffffffff - LAPICRead(lapicTimerCurrent)
	LAPICWrite(lapicTimerInitial, 0)
	return n
}

// StartTimer makes this CPU's LAPIC timer interrupt on vector every count
// ticks (divider 16).
func StartTimer(vector uint8, count uint32) {
	LAPICWrite(lapicTimerDivide, 0x3)
	LAPIC.SetTimer(int(vector), lapic.TIMER_MODE_PERIODIC)
	LAPICWrite(lapicTimerInitial, count)
}

// ICR delivery modes.
const (
	ICRFixed = 0 << 8
	ICRInit  = 5 << 8
	ICRSIPI  = 6 << 8
	ICRNMI   = 4 << 8

	icrLevelAssert = 1 << 14
	icrPending     = 1 << 12
)

// SendIPI sends an interprocessor interrupt to the CPU with APIC ID apicID:
// mode is ICRFixed (with vector), ICRInit or ICRSIPI (vector = start page).
// It waits for the local APIC to accept it.
func SendIPI(apicID uint32, mode uint32, vector uint8) {
	LAPICWrite(lapicICRHigh, apicID<<24)
	LAPICWrite(lapicICRLow, mode|icrLevelAssert|uint32(vector))
	for LAPICRead(lapicICRLow)&icrPending != 0 {
		Pause()
	}
}
