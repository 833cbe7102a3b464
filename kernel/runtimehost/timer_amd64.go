package runtimehost

import "github.com/limnx/limnx/kernel/arch/amd64"

// Interrupt vectors the host uses.
const (
	vecTimer    = 32   // LAPIC timer tick
	vecWakeup   = 0xf0 // IPI: a halted CPU has work
	vecSpurious = 0xff // LAPIC spurious vector
)

const (
	idleSpinNS       = 200_000   // an idle CPU polls this long before it halts...
	idleSpinWindowNS = 2_000_000 // ...if it ran a thread this recently
	tickHz           = 1000      // timer interrupts per second per CPU
	sliceTicks       = 5         // a thread runs at most this many ticks while others wait
)

// lapicTicksPerTick is the LAPIC timer count (divider 16) of one tick,
// measured on CPU 0 against the TSC.
var lapicTicksPerTick uint32

// startTimer calibrates the LAPIC timer (CPU 0 only) and starts this CPU's
// periodic tick.
func startTimer() {
	amd64.LAPICEnable()
	if lapicTicksPerTick == 0 {
		n := amd64.TimerCountPer(func() {
			end := nanotime() + 2_000_000
			for nanotime() < end {
			}
		})
		lapicTicksPerTick = n / 2 * 1000 / tickHz // n counts per 2 ms
		if lapicTicksPerTick == 0 {
			lapicTicksPerTick = 1
		}
	}
	amd64.StartTimer(vecTimer, lapicTicksPerTick)
	timerReady = true
}

// tick runs on every timer interrupt: a thread that has used its slice
// while others are runnable goes to the back of the queue.
func tick(c *CPU, t *Thread) {
	if c.cur == c.idle || t.state != tsRunning {
		return
	}
	if t.ticks >= sliceTicks && hasRunnable(c) {
		t.ticks = 0
		enqueue(c.cur)
	}
}
