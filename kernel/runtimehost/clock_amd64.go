package runtimehost

import (
	"math/bits"

	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/directmap"
)

// The clock is the TSC, counted from the loader's first instruction and
// calibrated against the HPET at boot (under TCG the TSC runs at the host's
// rate, which no CPUID leaf reports). Wall time is the CMOS RTC read at
// boot plus the monotonic clock.
var (
	tscBase    uint64 // TSC at the loader's first instruction
	tscMult    uint64 // ns per tick, 32.32 fixed point
	tscHz      uint64
	wallBaseNS int64 // Unix time in ns when nanotime() was 0
)

const hpetBase = 0xfed00000

// calibrateTSC measures the TSC rate over 5 ms of HPET time. Without an
// HPET it assumes 1 GHz.
func calibrateTSC(bootTSC uint64) {
	tscBase = bootTSC
	hz := uint64(1_000_000_000)
	caps := *directmap.Ptr[uint64](hpetBase)
	periodFS := caps >> 32 // femtoseconds per HPET tick
	if caps != 0 && caps != ^uint64(0) && periodFS != 0 && periodFS <= 100_000_000 {
		cfg := directmap.Ptr[uint64](hpetBase + 0x10)
		*cfg |= 1 // ENABLE_CNF
		counter := directmap.Ptr[uint64](hpetBase + 0xf0)
		ticks := 5_000_000_000_000 / periodFS // 5 ms
		h0 := *counter
		t0 := amd64.Rdtsc()
		for *counter-h0 < ticks {
		}
		h1 := *counter
		t1 := amd64.Rdtsc()
		elapsedFS := (h1 - h0) * periodFS
		if elapsedFS > 0 {
			hi, lo := bits.Mul64(t1-t0, 1_000_000_000_000_000)
			if hi < elapsedFS {
				hz, _ = bits.Div64(hi, lo, elapsedFS)
			}
		}
	}
	tscHz = hz
	tscMult = (1_000_000_000 << 32) / hz
}

// nanotime returns nanoseconds since the loader started.
func nanotime() int64 {
	d := amd64.Rdtsc() - tscBase
	hi, lo := bits.Mul64(d, tscMult)
	return int64(hi<<32 | lo>>32)
}

// walltime returns the Unix time in nanoseconds.
func walltime() int64 { return wallBaseNS + nanotime() }

func cmos(reg uint8) uint8 {
	amd64.Outb(0x70, reg)
	return amd64.Inb(0x71)
}

// readRTC sets wallBaseNS from the CMOS real-time clock.
func readRTC() {
	for cmos(0x0a)&0x80 != 0 { // update in progress
	}
	sec, min, hour := cmos(0), cmos(2), cmos(4)
	day, mon, year := cmos(7), cmos(8), cmos(9)
	cent := cmos(0x32)
	regB := cmos(0x0b)
	bcd := func(v uint8) int64 {
		if regB&4 != 0 {
			return int64(v)
		}
		return int64(v>>4)*10 + int64(v&15)
	}
	pm := hour&0x80 != 0
	h := bcd(hour & 0x7f)
	if regB&2 == 0 && pm {
		h = (h%12 + 12)
	}
	y := bcd(year)
	if c := bcd(cent); c >= 19 && c <= 30 {
		y += c * 100
	} else {
		y += 2000
	}
	secs := daysFromCivil(y, bcd(mon), bcd(day))*86400 + h*3600 + bcd(min)*60 + bcd(sec)
	wallBaseNS = secs*1_000_000_000 - nanotime()
}

// daysFromCivil returns days since 1970-01-01 for a proleptic Gregorian date.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
