// Dot products of the 32-element block formats against Q8_0 / Q8_1.
//
// func dotQ4_0(nb int, w, a *byte, rows int, out *float32)   Q4_0 x Q8_0
// func dotQ4_1(nb int, w, a *byte, rows int, out *float32)   Q4_1 x Q8_1
// func dotQ5_0(nb int, w, a *byte, rows int, out *float32)   Q5_0 x Q8_0
// func dotQ5_1(nb int, w, a *byte, rows int, out *float32)   Q5_1 x Q8_1
//
//	block_q4_0 (18): d f16 | qs [16]u8               value (nibble - 8)*d
//	block_q4_1 (20): d f16 | m f16 | qs [16]u8       value nibble*d + m
//	block_q5_0 (22): d f16 | qh u32 | qs [16]u8      value ((nibble | bit<<4) - 16)*d
//	block_q5_1 (24): d f16 | m f16 | qh u32 | qs [16]u8   value (nibble | bit<<4)*d + m
//	block_q8_0 (34): d f16 | qs [32]int8
//	block_q8_1 (36): d f16 | s f16 (= d*sum qs) | qs [32]int8
//
// Element i < 16 is the low nibble of qs[i], element 16+i the high nibble;
// bit i of qh is the fifth bit of element i. Per block the result is
// d_w*d_a*sum(q_w*q_a), plus m_w*s_a for the _1 formats.
//
// ISA: AVX2, FMA, F16C; the ...VNNI forms (same arguments, bit-identical
// results) also need AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers:
//	R11..R13 row loop (ROWSPROLOGUE etc. in macros_amd64.h): rows left, out, a
//	CX  blocks left   SI  w block   DI  a block
//	Y0  float acc     X1  scalar acc of m_w*s_a (_1 formats)
//	Y2  the 32 weight values, one per byte, in element order
//	Y3..Y7 scratch    Y12 kBitSelect  Y13 kBitBytes
//	Y14 kEight or kHighNibble or kHighBit   Y15 kNibble

#include "textflag.h"
#include "macros_amd64.h"

// NIBBLES(off): Y2 = the 32 nibbles of the 16 bytes at off(SI), element order.
#define NIBBLES(off) \
	VMOVDQU     off(SI), X2; \
	VPSRLW      $4, X2, X3; \
	VINSERTI128 $1, X3, Y2, Y2; \
	VPAND       Y15, Y2, Y2

// HIGHBITS(off): Y4 = 0xff in byte i where bit i of the u32 at off(SI) is set.
#define HIGHBITS(off) \
	VPBROADCASTD off(SI), Y4; \
	VPSHUFB      Y13, Y4, Y4; \
	VPAND        Y12, Y4, Y4; \
	VPCMPEQB     Y12, Y4, Y4

// SIGNEDDOT(aoff): Y2 = sum of products of the signed bytes in Y2 and the
// a.qs at aoff(DI), as 8 float32 partials.
#define SIGNEDDOT(aoff) \
	VMOVDQU    aoff(DI), Y3; \
	VPSIGNB    Y2, Y3, Y3; \
	VPABSB     Y2, Y2; \
	VPMADDUBSW Y3, Y2, Y2; \
	VPMADDWD   ·kOnes16(SB), Y2, Y2; \
	VCVTDQ2PS  Y2, Y2

// UNSIGNEDDOT(aoff): the same for unsigned bytes in Y2.
#define UNSIGNEDDOT(aoff) \
	VPMADDUBSW aoff(DI), Y2, Y2; \
	VPMADDWD   ·kOnes16(SB), Y2, Y2; \
	VCVTDQ2PS  Y2, Y2

// The per-format integer dot steps, AVX2 and AVX512_VNNI+VL forms with
// identical lanes (each the sum of 4 consecutive products), all leaving 8
// float32 partials in Y2:
//	Q4_0: Y2 = nibbles, Y14 = 8s:   AVX2 subtracts 8 then SIGNEDDOT; VNNI
//	      computes sum(q*a) - sum(8*a) with two VPDPBUSD.
//	Q5_0: Y2 = nibbles, Y4 = fifth-bit mask: AVX2 makes signed values
//	      (Y14 = 0xf0s) for SIGNEDDOT; VNNI adds the bit (Y14 = 0x10s) and
//	      subtracts sum(16*a).
//	Q4_1, Q5_1: unsigned values; VNNI is one VPDPBUSD.
#define Q40DOT_AVX2(aoff) VPSUBB Y14, Y2, Y2; SIGNEDDOT(aoff)
#define Q50DOT_AVX2(aoff) VPANDN Y14, Y4, Y4; VPOR Y4, Y2, Y2; SIGNEDDOT(aoff)
#define Q50DOT_VNNI(aoff) VPAND Y14, Y4, Y4; VPOR Y4, Y2, Y2; OFFSETDOT_VNNI(aoff)

// OFFSETDOT_VNNI(aoff): Y2 = sum((u - o)*a) for unsigned bytes u in Y2 and
// the offset bytes o in Y14.
#define OFFSETDOT_VNNI(aoff) \
	VMOVDQU   aoff(DI), Y3; \
	VPXOR     Y6, Y6, Y6; \
	VPDPBUSD  Y3, Y2, Y6; \
	VPXOR     Y7, Y7, Y7; \
	VPDPBUSD  Y3, Y14, Y7; \
	VPSUBD    Y7, Y6, Y2; \
	VCVTDQ2PS Y2, Y2

#define UNSIGNEDDOT_VNNI(aoff) \
	VPXOR     Y6, Y6, Y6; \
	VPDPBUSD  aoff(DI), Y2, Y6; \
	VCVTDQ2PS Y6, Y2

// SCALE(acc): acc += f16(w.d)*f16(a.d) * Y2.
#define SCALE(acc) \
	F16BCAST(0(SI), X5, Y5); \
	F16BCAST(0(DI), X6, Y6); \
	VMULPS      Y6, Y5, Y5; \
	VFMADD231PS Y5, Y2, acc

// MINTERM: X1 += f16(w.m) * f16(a.s) (scalar).
#define MINTERM \
	F16BCAST(2(SI), X5, X5); \
	F16BCAST(2(DI), X6, X6); \
	VFMADD231SS X6, X5, X1

// FINISH: X0 = Y0's lanes plus X1, the row's result.
#define FINISH \
	HSUMPS(Y0, X0, X7); \
	VADDSS X1, X0, X0

#define PROLOGUE \
	ROWSPROLOGUE; \
	VMOVDQU ·kNibble(SB), Y15; \
	VMOVDQU ·kBitSelect(SB), Y12; \
	VMOVDQU ·kBitBytes(SB), Y13

#define DOTQ40(C14, DOTM) \
	PROLOGUE; \
	VMOVDQU C14(SB), Y14; \
	TESTQ   R11, R11; \
	JZ      q40end; \
q40row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	TESTQ  CX, CX; \
	JZ     q40done; \
q40loop: \
	NIBBLES(2); \
	DOTM(2); \
	SCALE(Y0); \
	ADDQ   $18, SI; \
	ADDQ   $34, DI; \
	DECQ   CX; \
	JNZ    q40loop; \
q40done: \
	FINISH; \
	ROWEND(X0, q40row); \
q40end: \
	VZEROUPPER; \
	RET

// AVX2 form.
TEXT ·dotQ4_0(SB), NOSPLIT, $0-40
	DOTQ40(·kEight, Q40DOT_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ4_0VNNI(SB), NOSPLIT, $0-40
	DOTQ40(·kEight, OFFSETDOT_VNNI)

#define DOTQ41(DOTM) \
	PROLOGUE; \
	TESTQ   R11, R11; \
	JZ      q41end; \
q41row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	TESTQ  CX, CX; \
	JZ     q41done; \
q41loop: \
	NIBBLES(4); \
	DOTM(4); \
	SCALE(Y0); \
	MINTERM; \
	ADDQ $20, SI; \
	ADDQ $36, DI; \
	DECQ CX; \
	JNZ  q41loop; \
q41done: \
	FINISH; \
	ROWEND(X0, q41row); \
q41end: \
	VZEROUPPER; \
	RET

// AVX2 form.
TEXT ·dotQ4_1(SB), NOSPLIT, $0-40
	DOTQ41(UNSIGNEDDOT)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ4_1VNNI(SB), NOSPLIT, $0-40
	DOTQ41(UNSIGNEDDOT_VNNI)

#define DOTQ50(C14, DOTM) \
	PROLOGUE; \
	VMOVDQU C14(SB), Y14; \
	TESTQ   R11, R11; \
	JZ      q50end; \
q50row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	TESTQ  CX, CX; \
	JZ     q50done; \
q50loop: \
	NIBBLES(6); \
	HIGHBITS(2); \
	DOTM(2); \
	SCALE(Y0); \
	ADDQ   $22, SI; \
	ADDQ   $34, DI; \
	DECQ   CX; \
	JNZ    q50loop; \
q50done: \
	FINISH; \
	ROWEND(X0, q50row); \
q50end: \
	VZEROUPPER; \
	RET

// AVX2 form.
TEXT ·dotQ5_0(SB), NOSPLIT, $0-40
	DOTQ50(·kHighNibble, Q50DOT_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ5_0VNNI(SB), NOSPLIT, $0-40
	DOTQ50(·kHighBit, Q50DOT_VNNI)

#define DOTQ51(DOTM) \
	PROLOGUE; \
	VMOVDQU ·kHighBit(SB), Y14; \
	TESTQ   R11, R11; \
	JZ      q51end; \
q51row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	TESTQ  CX, CX; \
	JZ     q51done; \
q51loop: \
	NIBBLES(8); \
	HIGHBITS(4); \
	VPAND Y14, Y4, Y4; \
	VPOR  Y4, Y2, Y2; \
	DOTM(4); \
	SCALE(Y0); \
	MINTERM; \
	ADDQ  $24, SI; \
	ADDQ  $36, DI; \
	DECQ  CX; \
	JNZ   q51loop; \
q51done: \
	FINISH; \
	ROWEND(X0, q51row); \
q51end: \
	VZEROUPPER; \
	RET

// AVX2 form.
TEXT ·dotQ5_1(SB), NOSPLIT, $0-40
	DOTQ51(UNSIGNEDDOT)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ5_1VNNI(SB), NOSPLIT, $0-40
	DOTQ51(UNSIGNEDDOT_VNNI)
