// Package acpi reads the firmware's ACPI tables: the MADT, which lists the
// processors' local APICs and the I/O APICs.
//
// It reads physical memory through the direct map and does not allocate, so
// the runtime host can use it before the Go runtime starts.
package acpi

import "github.com/limnx/limnx/kernel/directmap"

// MaxCPUs bounds the processors MADT reports.
const MaxCPUs = 64

// MADT is what the Multiple APIC Description Table says.
type MADT struct {
	LAPICs     [MaxCPUs]uint32 // APIC IDs of the enabled processors, firmware order
	NLAPICs    int
	IOAPICAddr uint32 // physical base of the first I/O APIC, 0 if none
	IOAPICGSI  uint32 // its first global system interrupt
	// ISAGSI maps ISA IRQ n to its global system interrupt (interrupt
	// source overrides applied; identity otherwise).
	ISAGSI [16]uint32
}

// fakeRead, when set (by tests), replaces physical memory. It is nil in the
// kernel, where ReadMADT runs before any initializer.
var fakeRead func(p uint64) uint8

func u8(p uint64) uint8 {
	if fakeRead != nil {
		return fakeRead(p)
	}
	return *directmap.Ptr[uint8](p)
}

func u32(p uint64) uint32 {
	return uint32(u8(p)) | uint32(u8(p+1))<<8 | uint32(u8(p+2))<<16 | uint32(u8(p+3))<<24
}
func u64(p uint64) uint64 { return uint64(u32(p)) | uint64(u32(p+4))<<32 }

func sig(p uint64, s string) bool {
	for i := 0; i < len(s); i++ {
		if u8(p+uint64(i)) != s[i] {
			return false
		}
	}
	return true
}

// ReadMADT finds the MADT from the RSDP at physical address rsdp. It
// returns false if the tables are missing or malformed.
func ReadMADT(rsdp uint64) (MADT, bool) {
	var m MADT
	for i := range m.ISAGSI {
		m.ISAGSI[i] = uint32(i)
	}
	if rsdp == 0 || !sig(rsdp, "RSD PTR ") {
		return m, false
	}
	var table uint64
	if rev := u8(rsdp + 15); rev >= 2 && u64(rsdp+24) != 0 {
		table = findTable(u64(rsdp+24), 8, "APIC")
	} else {
		table = findTable(uint64(u32(rsdp+16)), 4, "APIC")
	}
	if table == 0 {
		return m, false
	}
	length := uint64(u32(table + 4))
	if length < 44 || length > 1<<20 {
		return m, false
	}
	for p := table + 44; p+2 <= table+length; {
		typ, l := u8(p), uint64(u8(p+1))
		if l < 2 || p+l > table+length {
			return m, false
		}
		switch {
		case typ == 0 && l >= 8: // processor local APIC
			if u32(p+4)&1 != 0 && m.NLAPICs < MaxCPUs {
				m.LAPICs[m.NLAPICs] = uint32(u8(p + 3))
				m.NLAPICs++
			}
		case typ == 1 && l >= 12: // I/O APIC
			if m.IOAPICAddr == 0 {
				m.IOAPICAddr = u32(p + 4)
				m.IOAPICGSI = u32(p + 8)
			}
		case typ == 2 && l >= 10: // interrupt source override
			if src := u8(p + 3); src < 16 {
				m.ISAGSI[src] = u32(p + 4)
			}
		}
		p += l
	}
	return m, m.NLAPICs > 0
}

// findTable returns the table with signature s listed in the RSDT (entry
// size 4) or XSDT (entry size 8) at sdt, or 0.
func findTable(sdt uint64, entry uint64, s string) uint64 {
	if sdt == 0 {
		return 0
	}
	length := uint64(u32(sdt + 4))
	if length < 36 || length > 1<<16 {
		return 0
	}
	for p := sdt + 36; p+entry <= sdt+length; p += entry {
		var t uint64
		if entry == 8 {
			t = u64(p)
		} else {
			t = uint64(u32(p))
		}
		if t != 0 && sig(t, s) {
			return t
		}
	}
	return 0
}
