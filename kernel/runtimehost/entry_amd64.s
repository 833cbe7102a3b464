// Entry and exit paths of the runtime host on x86-64.
//
// GS always points at the CPU's CPU block (see cpu.go for the offsets used
// here). A thread's registers are saved into the Frame that CPU.frame points
// at (the running thread's), its vector state into CPU.xsave; then host Go
// code runs on the CPU's host stack with FS pointing at the CPU's host TLS
// (so that Go code finds the host g at FS:-8), and finally resume restores
// whichever thread CPU.frame/xsave/threadFS name by IRETQ.
//
// Frame layout (Frame in frame.go):
//   0 R15  8 R14  16 R13  24 R12  32 R11  40 R10  48 R9  56 R8  64 BP  72 DI
//   80 SI  88 DX  96 CX  104 BX  112 AX  120 vector  128 error code
//   136 RIP  144 CS  152 RFLAGS  160 RSP  168 SS

#include "textflag.h"

#define CPU_SELF      0x00
#define CPU_FRAME     0x08
#define CPU_SCRATCH   0x10
#define CPU_STACKTOP  0x18
#define CPU_HOSTFS    0x20
#define CPU_XSAVE     0x28
#define CPU_THREADFS  0x30
#define CPU_INHOST    0x38
#define CPU_TLS0      0x40
#define CPU_TLS1      0x48
#define CPU_XRSTOR    0x50
#define CPU_G         0x58

#define G_STACKLO     0x00
#define G_STACKHI     0x08
#define G_GUARD0      0x10
#define G_GUARD1      0x18

#define VECTOR_SYSCALL 256
#define HOST_STACK     65536
#define STACK_GUARD    2048

// syscallEntry is LSTAR: SYSCALL from ring 0 lands here with RCX = return
// RIP, R11 = RFLAGS, IF/TF/DF/AC cleared by FMASK and RSP still the caller's.
TEXT ·syscallEntry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	SP, CPU_SCRATCH(GS)
	MOVQ	CPU_FRAME(GS), SP
	MOVQ	R15, 0(SP)
	MOVQ	R14, 8(SP)
	MOVQ	R13, 16(SP)
	MOVQ	R12, 24(SP)
	MOVQ	R11, 32(SP)
	MOVQ	R10, 40(SP)
	MOVQ	R9, 48(SP)
	MOVQ	R8, 56(SP)
	MOVQ	BP, 64(SP)
	MOVQ	DI, 72(SP)
	MOVQ	SI, 80(SP)
	MOVQ	DX, 88(SP)
	MOVQ	CX, 96(SP)
	MOVQ	BX, 104(SP)
	MOVQ	AX, 112(SP)
	MOVQ	$VECTOR_SYSCALL, 120(SP)
	MOVQ	$0, 128(SP)
	MOVQ	CX, 136(SP)
	MOVQ	$0x08, 144(SP)
	MOVQ	R11, 152(SP)
	MOVQ	CPU_SCRATCH(GS), AX
	MOVQ	AX, 160(SP)
	MOVQ	$0x10, 168(SP)
	JMP	·enterHostNoSave(SB)

// trapCommon is reached from the vector stubs on an IST stack holding
// [vector, error code, RIP, CS, RFLAGS, RSP, SS]. Pushing the general
// registers there in reverse Frame order turns the IST stack into a Frame.
TEXT ·trapCommon(SB),NOSPLIT|NOFRAME,$0
	CLD
	PUSHQ	AX
	PUSHQ	BX
	PUSHQ	CX
	PUSHQ	DX
	PUSHQ	SI
	PUSHQ	DI
	PUSHQ	BP
	PUSHQ	R8
	PUSHQ	R9
	PUSHQ	R10
	PUSHQ	R11
	PUSHQ	R12
	PUSHQ	R13
	PUSHQ	R14
	PUSHQ	R15
	CMPQ	CPU_INHOST(GS), $0
	JNE	hostfault
	MOVQ	SP, SI
	MOVQ	CPU_FRAME(GS), DI
	MOVQ	$22, CX
	REP;	MOVSQ
	MOVQ	CPU_FRAME(GS), SP
	JMP	·enterHost(SB)
hostfault:
	// A fault in the host itself: report it on the lower part of the host
	// stack (inside the host g's bounds) and never return.
	MOVQ	SP, DI
	MOVQ	CPU_G+G_STACKLO(GS), SP
	ADDQ	$(HOST_STACK/2), SP
	ANDQ	$~15, SP
	MOVQ	CPU_HOSTFS(GS), AX
	WRFSBASEQ	AX
	SUBQ	$16, SP
	MOVQ	DI, 0(SP)
	CALL	·hostFault(SB)
	CLI
	HLT
	JMP	-2(PC)

// enterHost saves the vector state, switches to the host stack and host TLS
// and runs hostMain; SP points at the saved Frame. Exceptions and
// interrupts come here: the interrupted code's vector registers are live.
TEXT ·enterHost(SB),NOSPLIT|NOFRAME,$0
	CLD
	MOVQ	CPU_XSAVE(GS), DI
	MOVL	$0xffffffff, AX
	MOVL	$0xffffffff, DX
	XSAVE64	(DI)
	JMP	·enterHostNoSave(SB)

// enterHostNoSave is enterHost without XSAVE, for system calls: the Go
// runtime reaches SYSCALL only from ABI0 assembly, after which its callers
// treat every vector register as clobbered (and re-zero X15), so there is
// nothing to keep. XSAVE is most of a system call's cost under TCG.
TEXT ·enterHostNoSave(SB),NOSPLIT|NOFRAME,$0
	CLD
	MOVQ	$1, CPU_INHOST(GS)
	MOVQ	CPU_STACKTOP(GS), SP
	MOVQ	CPU_HOSTFS(GS), AX
	WRFSBASEQ	AX
	XORPS	X15, X15
	CALL	·hostMain(SB)
	JMP	·resume(SB)

// resume restores the thread named by CPU.frame, CPU.xsave and
// CPU.threadFS and returns to it with IRETQ.
TEXT ·resume(SB),NOSPLIT|NOFRAME,$0
	MOVQ	BP, CPU_SCRATCH(GS) // scratch; also tells vet BP is not lost
	MOVQ	CPU_THREADFS(GS), AX
	WRFSBASEQ	AX
	CMPQ	CPU_XRSTOR(GS), $0
	JEQ	noxrstor
	MOVQ	CPU_XSAVE(GS), DI
	MOVL	$0xffffffff, AX
	MOVL	$0xffffffff, DX
	XRSTOR64	(DI)
noxrstor:
	MOVQ	$0, CPU_INHOST(GS)
	MOVQ	CPU_FRAME(GS), SP
	MOVQ	0(SP), R15
	MOVQ	8(SP), R14
	MOVQ	16(SP), R13
	MOVQ	24(SP), R12
	MOVQ	32(SP), R11
	MOVQ	40(SP), R10
	MOVQ	48(SP), R9
	MOVQ	56(SP), R8
	MOVQ	64(SP), BP
	MOVQ	72(SP), DI
	MOVQ	80(SP), SI
	MOVQ	88(SP), DX
	MOVQ	96(SP), CX
	MOVQ	104(SP), BX
	MOVQ	112(SP), AX
	ADDQ	$136, SP
	IRETQ

// rt0 is where the loader jumps, with DI = the handoff block (direct map)
// and SP = the Linux initial stack. It sets up CPU 0's block, runs hostInit
// on the host stack, then starts the Go runtime at its usual entry.
TEXT ·rt0(SB),NOSPLIT|NOFRAME,$0
	MOVQ	DI, ·handoffVA(SB)
	MOVQ	SP, ·initialSP(SB)
	LEAQ	·cpus(SB), BX
	MOVQ	BX, AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$0xc0000101, CX
	WRMSR
	MOVQ	BX, CPU_SELF(BX)
	LEAQ	·hostStacks(SB), AX
	MOVQ	AX, (CPU_G+G_STACKLO)(BX)
	LEAQ	STACK_GUARD(AX), CX
	MOVQ	CX, (CPU_G+G_GUARD0)(BX)
	MOVQ	CX, (CPU_G+G_GUARD1)(BX)
	ADDQ	$HOST_STACK, AX
	MOVQ	AX, (CPU_G+G_STACKHI)(BX)
	MOVQ	AX, CPU_STACKTOP(BX)
	LEAQ	CPU_G(BX), AX
	MOVQ	AX, CPU_TLS0(BX)
	LEAQ	CPU_TLS1(BX), AX
	MOVQ	AX, CPU_HOSTFS(BX)
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$0xc0000100, CX
	WRMSR
	MOVQ	CPU_STACKTOP(BX), SP
	CALL	·hostInit(SB)
	MOVQ	·initialSP(SB), SP
	JMP	_rt0_amd64_linux(SB)

// idleLoop is the body of every CPU's idle thread. It asks the host for
// work (syscall 1000); the host returns 1 if the CPU may halt until the next
// interrupt. Interrupts are off from CLI until HLT, so a wakeup cannot slip
// in between the check and the halt.
TEXT ·idleLoop(SB),NOSPLIT|NOFRAME,$0
again:
	CLI
	MOVQ	$1000, AX
	SYSCALL
	TESTQ	AX, AX
	JZ	spin
	STI
	HLT
	JMP	again
spin:
	PAUSE
	JMP	again

// func entryPCs() (syscall, rt0, idle, trapCommon uintptr)
TEXT ·entryPCs(SB),NOSPLIT,$0-32
	MOVQ	$·syscallEntry(SB), AX
	MOVQ	AX, syscall+0(FP)
	MOVQ	$·rt0(SB), AX
	MOVQ	AX, rt0+8(FP)
	MOVQ	$·idleLoop(SB), AX
	MOVQ	AX, idle+16(FP)
	MOVQ	$·trapCommon(SB), AX
	MOVQ	AX, trapCommon+24(FP)
	RET

// func thisCPU() uintptr
TEXT ·thisCPU(SB),NOSPLIT,$0-8
	MOVQ	CPU_SELF(GS), AX
	MOVQ	AX, ret+0(FP)
	RET

// func setGSBase(v uintptr)
TEXT ·setGSBase(SB),NOSPLIT,$0-8
	MOVQ	v+0(FP), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$0xc0000101, CX
	WRMSR
	RET

// nmiEntry handles NMI, which the host sends only for TLB shootdown: it
// reloads CR3 and acknowledges. NMIs arrive even while host code runs with
// interrupts disabled, so the sender may wait holding the host lock.
TEXT ·nmiEntry(SB),NOSPLIT|NOFRAME,$0
	CMPL	·haltAll(SB), $0
	JNE	halt
	PUSHQ	AX
	MOVQ	CR3, AX
	MOVQ	AX, CR3
	LOCK
	INCL	·tlbAcks(SB)
	POPQ	AX
	IRETQ
halt:
	// The machine is stopping (kernel panic or exit): stay here.
	CLI
	HLT
	JMP	halt

// apEntry is where the AP trampoline jumps, with DI = this CPU's block and
// SP = its host stack. It runs apMain in host context, then resumes the
// CPU's idle thread.
TEXT ·apEntry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	DI, AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$0xc0000101, CX
	WRMSR
	MOVQ	CPU_HOSTFS(DI), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$0xc0000100, CX
	WRMSR
	CALL	·apMain(SB)
	JMP	·resume(SB)

// func apEntryPC() uintptr
TEXT ·apEntryPC(SB),NOSPLIT,$0-8
	MOVQ	$·apEntry(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// vdsoClockGettime is __vdso_clock_gettime (see vdso_amd64.go), called by
// the runtime with the C ABI: DI = clock id, SI = *timespec. Realtime and
// monotonic clocks are computed from the TSC exactly as the host's
// nanotime/walltime do; other clocks fall back to the system call.
TEXT ·vdsoClockGettime(SB),NOSPLIT|NOFRAME,$0
	CMPQ	DI, $1
	JEQ	mono
	CMPQ	DI, $0
	JEQ	real
	MOVQ	$228, AX
	SYSCALL
	RET
mono:
	XORL	R8, R8
	JMP	compute
real:
	MOVQ	·wallBaseNS(SB), R8
compute:
	RDTSC
	SHLQ	$32, DX
	ORQ	DX, AX
	SUBQ	·tscBase(SB), AX
	MOVQ	·tscMult(SB), CX
	MULQ	CX
	SHRQ	$32, AX
	SHLQ	$32, DX
	ORQ	DX, AX
	ADDQ	R8, AX
	XORL	DX, DX
	MOVQ	$1000000000, CX
	DIVQ	CX
	MOVQ	AX, 0(SI)
	MOVQ	DX, 8(SI)
	XORL	AX, AX
	RET

// func vdsoClockGettimePC() uintptr
TEXT ·vdsoClockGettimePC(SB),NOSPLIT,$0-8
	MOVQ	$·vdsoClockGettime(SB), AX
	MOVQ	AX, ret+0(FP)
	RET
