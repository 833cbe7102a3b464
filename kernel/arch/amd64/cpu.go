// Package amd64 holds the x86-64 processor primitives the kernel needs that
// Go cannot express (privileged instructions, port I/O, descriptor tables)
// and the layouts of the GDT, TSS and IDT.
//
// Everything here is safe to call from the runtime host: no function
// allocates, takes a lock or touches the Go scheduler.
package amd64

// MSR numbers.
const (
	MSR_EFER           = 0xc0000080
	MSR_STAR           = 0xc0000081
	MSR_LSTAR          = 0xc0000082
	MSR_FMASK          = 0xc0000084
	MSR_FS_BASE        = 0xc0000100
	MSR_GS_BASE        = 0xc0000101
	MSR_KERNEL_GS_BASE = 0xc0000102
	MSR_APIC_BASE      = 0x1b
	MSR_TSC_DEADLINE   = 0x6e0
)

// RFLAGS bits.
const (
	RFLAGS_TF = 1 << 8
	RFLAGS_IF = 1 << 9
	RFLAGS_DF = 1 << 10
	RFLAGS_AC = 1 << 18
)

// Rdmsr reads a model-specific register.
func Rdmsr(msr uint32) uint64

// Wrmsr writes a model-specific register.
func Wrmsr(msr uint32, v uint64)

// Cpuid executes CPUID with the given leaf and subleaf.
func Cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// Rdtsc reads the time-stamp counter.
func Rdtsc() uint64

// Rdrand returns a hardware random number; ok is false if the CPU's
// generator did not deliver one after a few retries.
func Rdrand() (v uint64, ok bool)

// Rdseed returns a hardware entropy sample; ok is false on failure.
func Rdseed() (v uint64, ok bool)

// Inb reads a byte from an I/O port.
func Inb(port uint16) uint8

// Outb writes a byte to an I/O port.
func Outb(port uint16, v uint8)

// Outl writes a 32-bit value to an I/O port.
func Outl(port uint16, v uint32)

// ReadCR2 returns the page-fault linear address.
func ReadCR2() uint64

// ReadCR3 returns the page-table root.
func ReadCR3() uint64

// WriteCR3 loads a new page-table root (flushing non-global TLB entries).
func WriteCR3(v uint64)

// ReadCR0 returns CR0.
func ReadCR0() uint64

// ReadCR4 returns CR4.
func ReadCR4() uint64

// Invlpg drops the TLB entry for the page holding va.
func Invlpg(va uintptr)

// Lgdt loads the GDT register from a 10-byte pseudo-descriptor at p.
func Lgdt(p uintptr)

// Lidt loads the IDT register from a 10-byte pseudo-descriptor at p.
func Lidt(p uintptr)

// Ltr loads the task register with a TSS selector.
func Ltr(sel uint16)

// Xgetbv reads extended control register XCR0.
func Xgetbv() uint64

// Halt stops the processor forever with interrupts disabled.
func Halt()

// Pause is the spin-loop hint.
func Pause()

// Hlt waits for the next interrupt with interrupts enabled, then returns
// with interrupts disabled again.
func Hlt()

// MSR_TSC_AUX is the value RDTSCP returns in ECX; the kernel stores the CPU
// number there.
const MSR_TSC_AUX = 0xc0000103

// Rdtscp reads the time-stamp counter and TSC_AUX (the CPU number).
func Rdtscp() (tsc uint64, aux uint32)
