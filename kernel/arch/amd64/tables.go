package amd64

import "unsafe"

// GDT selectors. The layout keeps SYSRET's convention for the later user
// segments: STAR[63:48] = 0x18 gives user CS 0x28 and user SS 0x20.
const (
	KernelCS = 0x08
	KernelDS = 0x10
	UserDS   = 0x20
	UserCS   = 0x28
	TSSSel   = 0x30
)

// GDT is one CPU's global descriptor table:
//
//	0x00 null  0x08 kernel code64  0x10 kernel data  0x18 (user code32, unused)
//	0x20 user data  0x28 user code64  0x30 TSS (two slots)
type GDT [8]uint64

// TSS is a 64-bit task-state segment (104 bytes; only RSP0 and IST1-7 are
// used, there is no I/O bitmap):
//
//	0x04 RSP0  0x0c RSP1  0x14 RSP2  0x24 IST1 ... 0x54 IST7  0x66 IOPB offset
type TSS [104]byte

// SetIST sets interrupt stack table entry i (1-7) to the stack top sp.
func (t *TSS) SetIST(i int, sp uintptr) {
	off := 0x24 + (i-1)*8
	for b := 0; b < 8; b++ {
		t[(off+b)%len(t)] = byte(sp >> (8 * b))
	}
}

// Init fills the GDT with the flat kernel and user segments and a TSS
// descriptor for tss.
func (g *GDT) Init(tss *TSS) {
	g[0] = 0
	g[1] = 0x00209a0000000000 // kernel code64: P, DPL0, L
	g[2] = 0x0000920000000000 // kernel data
	g[3] = 0
	g[4] = 0x0000f20000000000 // user data, DPL3
	g[5] = 0x0020fa0000000000 // user code64, DPL3
	base := uint64(uintptr(unsafe.Pointer(tss)))
	limit := uint64(len(tss) - 1)
	// Available 64-bit TSS (type 9), present.
	g[6] = limit&0xffff | (base&0xffffff)<<16 | 0x89<<40 | (limit>>16&0xf)<<48 | (base>>24&0xff)<<56
	g[7] = base >> 32
	tss[0x66] = byte(len(tss))
	tss[0x67] = 0
}

// Load makes g the CPU's GDT and loads the task register. The code and data
// selectors match the loader's, so CS and SS need no reload.
func (g *GDT) Load() {
	var desc [2]uint64
	setPseudo(&desc, uintptr(unsafe.Pointer(g)), len(g)*8-1)
	Lgdt(uintptr(unsafe.Pointer(&desc[0])) + 6)
	Ltr(TSSSel)
}

// setPseudo writes a 10-byte pseudo-descriptor (limit:16, base:64) at byte
// offset 6 of d, so that the base is 8-byte aligned.
func setPseudo(d *[2]uint64, base uintptr, limit int) {
	d[0] = uint64(limit) << 48
	d[1] = uint64(base)
}

// IDT is the interrupt descriptor table: 256 16-byte gates.
type IDT [256][2]uint64

// SetGate installs an interrupt gate (interrupts disabled on entry, DPL 0)
// for vector vec that enters handler on interrupt stack ist (1-7).
func (t *IDT) SetGate(vec uint8, handler uintptr, ist uint8) {
	h := uint64(handler)
	t[vec][0] = h&0xffff | KernelCS<<16 | uint64(ist&7)<<32 | 0x8e<<40 | (h>>16&0xffff)<<48
	t[vec][1] = h >> 32
}

// Load makes t the CPU's IDT.
func (t *IDT) Load() {
	var desc [2]uint64
	setPseudo(&desc, uintptr(unsafe.Pointer(t)), len(t)*16-1)
	Lidt(uintptr(unsafe.Pointer(&desc[0])) + 6)
}
