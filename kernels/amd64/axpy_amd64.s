// y += a*x over float32 vectors (attention's weighted sum of values).
//
// func axpyF32(n int, a float32, x, y *float32)
//
// n is the element count and must be a multiple of 8 (the Go wrapper does
// the tail). Each y element gets one FMA: y = a*x + y rounded once.
//
// ISA: AVX2, FMA.
//
// Registers:
//	CX  elements left   SI  x   DI  y
//	Y0  a broadcast     Y1..Y4 y values

#include "textflag.h"

TEXT ·axpyF32(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	VBROADCASTSS a+8(FP), Y0
	MOVQ         x+16(FP), SI
	MOVQ         y+24(FP), DI
	CMPQ         CX, $32
	JLT          tail8

loop32:
	VMOVUPS     0(DI), Y1
	VMOVUPS     32(DI), Y2
	VMOVUPS     64(DI), Y3
	VMOVUPS     96(DI), Y4
	VFMADD231PS 0(SI), Y0, Y1
	VFMADD231PS 32(SI), Y0, Y2
	VFMADD231PS 64(SI), Y0, Y3
	VFMADD231PS 96(SI), Y0, Y4
	VMOVUPS     Y1, 0(DI)
	VMOVUPS     Y2, 32(DI)
	VMOVUPS     Y3, 64(DI)
	VMOVUPS     Y4, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JGE         loop32

tail8:
	CMPQ        CX, $8
	JLT         done
	VMOVUPS     0(DI), Y1
	VFMADD231PS 0(SI), Y0, Y1
	VMOVUPS     Y1, 0(DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         tail8

done:
	VZEROUPPER
	RET
