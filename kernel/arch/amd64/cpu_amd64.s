#include "textflag.h"

// func Rdmsr(msr uint32) uint64
TEXT ·Rdmsr(SB),NOSPLIT,$0-16
	MOVL	msr+0(FP), CX
	RDMSR
	SHLQ	$32, DX
	ORQ	DX, AX
	MOVQ	AX, ret+8(FP)
	RET

// func Wrmsr(msr uint32, v uint64)
TEXT ·Wrmsr(SB),NOSPLIT,$0-16
	MOVL	msr+0(FP), CX
	MOVQ	v+8(FP), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	WRMSR
	RET

// func Cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·Cpuid(SB),NOSPLIT,$0-24
	MOVL	leaf+0(FP), AX
	MOVL	sub+4(FP), CX
	CPUID
	MOVL	AX, eax+8(FP)
	MOVL	BX, ebx+12(FP)
	MOVL	CX, ecx+16(FP)
	MOVL	DX, edx+20(FP)
	RET

// func Rdtsc() uint64
TEXT ·Rdtsc(SB),NOSPLIT,$0-8
	RDTSC
	SHLQ	$32, DX
	ORQ	DX, AX
	MOVQ	AX, ret+0(FP)
	RET

// func Rdrand() (v uint64, ok bool)
TEXT ·Rdrand(SB),NOSPLIT,$0-9
	MOVQ	$10, CX
again:
	RDRANDQ	AX
	JCS	done
	DECQ	CX
	JNZ	again
	MOVQ	$0, v+0(FP)
	MOVB	$0, ok+8(FP)
	RET
done:
	MOVQ	AX, v+0(FP)
	MOVB	$1, ok+8(FP)
	RET

// func Rdseed() (v uint64, ok bool)
TEXT ·Rdseed(SB),NOSPLIT,$0-9
	MOVQ	$10, CX
again:
	RDSEEDQ	AX
	JCS	done
	PAUSE
	DECQ	CX
	JNZ	again
	MOVQ	$0, v+0(FP)
	MOVB	$0, ok+8(FP)
	RET
done:
	MOVQ	AX, v+0(FP)
	MOVB	$1, ok+8(FP)
	RET

// func Inb(port uint16) uint8
TEXT ·Inb(SB),NOSPLIT,$0-9
	MOVW	port+0(FP), DX
	INB
	MOVB	AL, ret+8(FP)
	RET

// func Outb(port uint16, v uint8)
TEXT ·Outb(SB),NOSPLIT,$0-3
	MOVW	port+0(FP), DX
	MOVB	v+2(FP), AL
	OUTB
	RET

// func Outl(port uint16, v uint32)
TEXT ·Outl(SB),NOSPLIT,$0-8
	MOVW	port+0(FP), DX
	MOVL	v+4(FP), AX
	OUTL
	RET

// func ReadCR2() uint64
TEXT ·ReadCR2(SB),NOSPLIT,$0-8
	MOVQ	CR2, AX
	MOVQ	AX, ret+0(FP)
	RET

// func ReadCR3() uint64
TEXT ·ReadCR3(SB),NOSPLIT,$0-8
	MOVQ	CR3, AX
	MOVQ	AX, ret+0(FP)
	RET

// func WriteCR3(v uint64)
TEXT ·WriteCR3(SB),NOSPLIT,$0-8
	MOVQ	v+0(FP), AX
	MOVQ	AX, CR3
	RET

// func ReadCR0() uint64
TEXT ·ReadCR0(SB),NOSPLIT,$0-8
	MOVQ	CR0, AX
	MOVQ	AX, ret+0(FP)
	RET

// func ReadCR4() uint64
TEXT ·ReadCR4(SB),NOSPLIT,$0-8
	MOVQ	CR4, AX
	MOVQ	AX, ret+0(FP)
	RET

// func Invlpg(va uintptr)
TEXT ·Invlpg(SB),NOSPLIT,$0-8
	MOVQ	va+0(FP), AX
	INVLPG	(AX)
	RET

// func Lgdt(p uintptr)
TEXT ·Lgdt(SB),NOSPLIT,$0-8
	MOVQ	p+0(FP), AX
	LGDT	(AX)
	RET

// func Lidt(p uintptr)
TEXT ·Lidt(SB),NOSPLIT,$0-8
	MOVQ	p+0(FP), AX
	LIDT	(AX)
	RET

// func Ltr(sel uint16)
TEXT ·Ltr(SB),NOSPLIT,$0-2
	MOVW	sel+0(FP), AX
	LTR	AX
	RET

// func Xgetbv() uint64
TEXT ·Xgetbv(SB),NOSPLIT,$0-8
	MOVL	$0, CX
	XGETBV
	SHLQ	$32, DX
	ORQ	DX, AX
	MOVQ	AX, ret+0(FP)
	RET

// func Halt()
TEXT ·Halt(SB),NOSPLIT,$0-0
	CLI
loop:
	HLT
	JMP	loop

// func Pause()
TEXT ·Pause(SB),NOSPLIT,$0-0
	PAUSE
	RET

// func Hlt()
TEXT ·Hlt(SB),NOSPLIT,$0-0
	STI
	HLT
	CLI
	RET

// func Rdtscp() (tsc uint64, aux uint32)
TEXT ·Rdtscp(SB),NOSPLIT,$0-12
	RDTSCP
	SHLQ	$32, DX
	ORQ	DX, AX
	MOVQ	AX, tsc+0(FP)
	MOVL	CX, aux+8(FP)
	RET
