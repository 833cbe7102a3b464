package acpi

import (
	"encoding/binary"
	"testing"
)

// fakeMem is physical memory for the parser: reads outside it return 0.
type fakeMem map[uint64]byte

func (m fakeMem) put(addr uint64, b []byte) {
	for i, v := range b {
		m[addr+uint64(i)] = v
	}
}

func use(t testing.TB, m fakeMem) {
	fakeRead = func(p uint64) uint8 { return m[p] }
	t.Cleanup(func() { fakeRead = nil })
}

// tables builds an RSDP at 0x1000, an RSDT at 0x2000 and a MADT at 0x3000
// with the given entries.
func tables(entries ...[]byte) fakeMem {
	m := fakeMem{}
	rsdp := make([]byte, 20)
	copy(rsdp, "RSD PTR ")
	binary.LittleEndian.PutUint32(rsdp[16:], 0x2000)
	m.put(0x1000, rsdp)
	rsdt := make([]byte, 40)
	copy(rsdt, "RSDT")
	binary.LittleEndian.PutUint32(rsdt[4:], 40)
	binary.LittleEndian.PutUint32(rsdt[36:], 0x3000)
	m.put(0x2000, rsdt)
	madt := make([]byte, 44)
	copy(madt, "APIC")
	for _, e := range entries {
		madt = append(madt, e...)
	}
	binary.LittleEndian.PutUint32(madt[4:], uint32(len(madt)))
	m.put(0x3000, madt)
	return m
}

func lapic(id byte, enabled bool) []byte {
	f := byte(0)
	if enabled {
		f = 1
	}
	return []byte{0, 8, id, id, f, 0, 0, 0}
}

func TestReadMADT(t *testing.T) {
	ioapic := []byte{1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0}
	override := []byte{2, 10, 0, 0, 2, 0, 0, 0, 0, 0} // ISA IRQ 0 -> GSI 2
	use(t, tables(lapic(0, true), lapic(1, true), lapic(2, false), lapic(3, true), ioapic, override))
	m, ok := ReadMADT(0x1000)
	if !ok {
		t.Fatal("ReadMADT failed")
	}
	if m.NLAPICs != 3 || m.LAPICs[0] != 0 || m.LAPICs[1] != 1 || m.LAPICs[2] != 3 {
		t.Errorf("LAPICs %v (n=%d), want enabled 0, 1, 3", m.LAPICs[:m.NLAPICs], m.NLAPICs)
	}
	if m.IOAPICAddr != 0xfec00000 {
		t.Errorf("I/O APIC at %#x", m.IOAPICAddr)
	}
	if m.ISAGSI[0] != 2 || m.ISAGSI[4] != 4 {
		t.Errorf("ISA IRQ map: IRQ0 -> %d, IRQ4 -> %d", m.ISAGSI[0], m.ISAGSI[4])
	}
}

func TestReadMADTRejectsBadTables(t *testing.T) {
	tests := []struct {
		name string
		mem  fakeMem
		rsdp uint64
	}{
		{"no rsdp", fakeMem{}, 0x1000},
		{"zero rsdp", tables(lapic(0, true)), 0},
		{"entry of length 0", tables([]byte{0, 0}), 0x1000},
		{"entry past the end", tables([]byte{0, 40, 1, 1}), 0x1000},
		{"no processors", tables(), 0x1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			use(t, tc.mem)
			if _, ok := ReadMADT(tc.rsdp); ok {
				t.Error("accepted")
			}
		})
	}
}

// FuzzReadMADT: any MADT body gives a result or false, never a panic (the
// parser runs in the runtime host, where a panic is fatal).
func FuzzReadMADT(f *testing.F) {
	f.Add(append(lapic(0, true), lapic(1, true)...))
	f.Add([]byte{1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0})
	f.Add([]byte{2, 10, 0, 200, 2, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, body []byte) {
		use(t, tables(body))
		m, ok := ReadMADT(0x1000)
		if ok && (m.NLAPICs <= 0 || m.NLAPICs > MaxCPUs) {
			t.Fatalf("ok with %d processors", m.NLAPICs)
		}
	})
}
