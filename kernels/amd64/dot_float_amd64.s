// Dot products of float rows: F32 x F32, F16 x F16, BF16 x BF16.
//
// func dotF32(n int, w, a *byte) float32
// func dotF16(n int, w, a *byte) float32
// func dotBF16(n int, w, a *byte) float32
//
// n is the element count and must be a multiple of 8 (the Go wrappers do
// the tail). Each element pair is widened to float32 and accumulated with
// FMA into four 8-lane accumulators, 32 elements per iteration.
//
// ISA: AVX2, FMA, F16C.
//
// Registers:
//	CX  elements left   SI  w   DI  a
//	Y0..Y3  float accs  Y4..Y11 widened elements

#include "textflag.h"
#include "macros_amd64.h"

// Loaders: LD(off, reg) loads 8 elements at off(SI) or off(DI) as float32.
#define LDF32W(off, y) VMOVUPS off(SI), y
#define LDF32A(off, y) VMOVUPS off(DI), y
#define LDF16W(off, y) VCVTPH2PS off(SI), y
#define LDF16A(off, y) VCVTPH2PS off(DI), y
#define LDBF16W(off, y) VPMOVZXWD off(SI), y; VPSLLD $16, y, y
#define LDBF16A(off, y) VPMOVZXWD off(DI), y; VPSLLD $16, y, y

// DOTLOOP(LDW, LDA, esize): the loop body for elements of esize bytes.
#define DOTLOOP(LDW, LDA, esize) \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	CMPQ   CX, $32; \
	JLT    tail8; \
loop32: \
	LDW(0, Y4); \
	LDA(0, Y5); \
	LDW(8*esize, Y6); \
	LDA(8*esize, Y7); \
	LDW(16*esize, Y8); \
	LDA(16*esize, Y9); \
	LDW(24*esize, Y10); \
	LDA(24*esize, Y11); \
	VFMADD231PS Y5, Y4, Y0; \
	VFMADD231PS Y7, Y6, Y1; \
	VFMADD231PS Y9, Y8, Y2; \
	VFMADD231PS Y11, Y10, Y3; \
	ADDQ $32*esize, SI; \
	ADDQ $32*esize, DI; \
	SUBQ $32, CX; \
	CMPQ CX, $32; \
	JGE  loop32; \
tail8: \
	CMPQ CX, $8; \
	JLT  done; \
	LDW(0, Y4); \
	LDA(0, Y5); \
	VFMADD231PS Y5, Y4, Y0; \
	ADDQ $8*esize, SI; \
	ADDQ $8*esize, DI; \
	SUBQ $8, CX; \
	JMP  tail8; \
done: \
	VADDPS Y1, Y0, Y0; \
	VADDPS Y3, Y2, Y2; \
	VADDPS Y2, Y0, Y0; \
	HSUMPS(Y0, X0, X1); \
	VZEROUPPER

TEXT ·dotF32(SB), NOSPLIT, $0-28
	MOVQ n+0(FP), CX
	MOVQ w+8(FP), SI
	MOVQ a+16(FP), DI
	DOTLOOP(LDF32W, LDF32A, 4)
	MOVSS X0, ret+24(FP)
	RET

TEXT ·dotF16(SB), NOSPLIT, $0-28
	MOVQ n+0(FP), CX
	MOVQ w+8(FP), SI
	MOVQ a+16(FP), DI
	DOTLOOP(LDF16W, LDF16A, 2)
	MOVSS X0, ret+24(FP)
	RET

TEXT ·dotBF16(SB), NOSPLIT, $0-28
	MOVQ n+0(FP), CX
	MOVQ w+8(FP), SI
	MOVQ a+16(FP), DI
	DOTLOOP(LDBF16W, LDBF16A, 2)
	MOVSS X0, ret+24(FP)
	RET
