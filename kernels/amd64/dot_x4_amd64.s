// Multi-token dot kernels: one weight row against four activation rows,
// so that each weight block is loaded and unpacked once for four tokens
// (prompt processing). Each result equals the one-token kernel's bit for
// bit: the per-token arithmetic is the same, in the same order.
//
// func dotQ8_0x4(nb int, w, a *byte, stride int, out *[4]float32)
// func dotQ4_Kx4(nb int, w, a *byte, stride int, out *[4]float32)
// func dotQ6_Kx4(nb int, w, a *byte, stride int, out *[4]float32)
//
// Token t's activation blocks start at a + t*stride. Block layouts are
// described in dot_q8_0_amd64.s, dot_q4_k_amd64.s and dot_q6_k_amd64.s.
//
// ISA: AVX2, FMA, F16C; the ...VNNI forms (same arguments, bit-identical
// results) also need AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers (all three):
//	CX  blocks left   SI  w block   DI  token 0's block
//	R11 stride        R12 3*stride  R9  out
//	Y0..Y3  float acc of tokens 0..3
//	Y4..Y7  int32 sums of tokens 0..3 (K-quants)
//	Y8..Y15 per kernel, below

#include "textflag.h"
#include "macros_amd64.h"

// Token addressing: T0(off) .. T3(off) are token t's bytes at off.
#define T0(off) off(DI)
#define T1(off) off(DI)(R11*1)
#define T2(off) off(DI)(R11*2)
#define T3(off) off(DI)(R12*1)

#define PROLOGUE4 \
	MOVQ   nb+0(FP), CX; \
	MOVQ   w+8(FP), SI; \
	MOVQ   a+16(FP), DI; \
	MOVQ   stride+24(FP), R11; \
	LEAQ   (R11)(R11*2), R12; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3

#define EPILOGUE4 \
	MOVQ out+32(FP), R9; \
	HSUMPS(Y0, X0, X8); \
	HSUMPS(Y1, X1, X8); \
	HSUMPS(Y2, X2, X8); \
	HSUMPS(Y3, X3, X8); \
	MOVSS X0, 0(R9); \
	MOVSS X1, 4(R9); \
	MOVSS X2, 8(R9); \
	MOVSS X3, 12(R9); \
	VZEROUPPER; \
	RET

// ---- Q8_0 x Q8_0 ----
// Y4..Y7 float acc of odd blocks, Y8 w.qs, Y9 |w.qs|, Y10 f16(w.d),
// Y11, Y12 scratch, Y15 int16 ones.

// Q8TOK(T, off, acc): acc += f16(w.d)*f16(a.d) * sum(w.qs*a.qs) for
// token T's block at off.
#define Q8TOK(T, off, acc, DOT) \
	VMOVDQU    T(off+2), Y11; \
	VPSIGNB    Y8, Y11, Y11; \
	DOT(Y11, Y9, Y13); \
	VCVTDQ2PS  Y13, Y11; \
	VPBROADCASTW T(off), X12; \
	VCVTPH2PS  X12, Y12; \
	VMULPS     Y12, Y10, Y12; \
	VFMADD231PS Y12, Y11, acc

// Q8BLOCK4(off, a0, a1, a2, a3): the block at off for the four tokens.
#define Q8BLOCK4(off, a0, a1, a2, a3, DOT) \
	VMOVDQU off+2(SI), Y8; \
	VPABSB  Y8, Y9; \
	F16BCAST(off(SI), X10, Y10); \
	Q8TOK(T0, off, a0, DOT); \
	Q8TOK(T1, off, a1, DOT); \
	Q8TOK(T2, off, a2, DOT); \
	Q8TOK(T3, off, a3, DOT)

// Blocks alternate between Y0..Y3 and Y4..Y7 as dotQ8_0 alternates its
// two accumulators, so that the results match it bit for bit.
#define DOTQ80X4(DOT) \
	PROLOGUE4; \
	VXORPS  Y4, Y4, Y4; \
	VXORPS  Y5, Y5, Y5; \
	VXORPS  Y6, Y6, Y6; \
	VXORPS  Y7, Y7, Y7; \
	VMOVDQU ·kOnes16(SB), Y15; \
	CMPQ    CX, $2; \
	JLT     q8tail; \
q8loop: \
	Q8BLOCK4(0, Y0, Y1, Y2, Y3, DOT); \
	Q8BLOCK4(34, Y4, Y5, Y6, Y7, DOT); \
	ADDQ $68, SI; \
	ADDQ $68, DI; \
	SUBQ $2, CX; \
	CMPQ CX, $2; \
	JGE  q8loop; \
q8tail: \
	TESTQ CX, CX; \
	JZ    q8done; \
	Q8BLOCK4(0, Y0, Y1, Y2, Y3, DOT); \
q8done: \
	VADDPS Y4, Y0, Y0; \
	VADDPS Y5, Y1, Y1; \
	VADDPS Y6, Y2, Y2; \
	VADDPS Y7, Y3, Y3; \
	EPILOGUE4

// AVX2 form.
TEXT ·dotQ8_0x4(SB), NOSPLIT, $0-40
	DOTQ80X4(DOTU8S8_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ8_0x4VNNI(SB), NOSPLIT, $0-40
	DOTQ80X4(DOTU8S8_VNNI)


// ---- Q4_K x Q8_K ----
// Y8 scales (int16, both lanes), Y9/Y10 low/high nibbles of a chunk,
// Y11/Y12 their scale broadcasts, Y13/Y14 scratch, Y15 0x0f bytes.

// Q4MIN(T, acc): acc -= dmin*a.d * sum_j m_j*(bsum_2j+bsum_2j+1); Y13 holds
// the duplicated mins, Y14 f16(w.dmin).
#define Q4MIN(T, acc) \
	VPMADDWD     T(260), Y13, Y9; \
	VCVTDQ2PS    Y9, Y9; \
	VBROADCASTSS T(0), Y10; \
	VMULPS       Y14, Y10, Y10; \
	VFNMADD231PS Y10, Y9, acc

// Q4TOK(T, c, sum): sum += scale-weighted sums of chunk c for token T.
#define Q4TOK(T, c, sum, MADD) \
	VPMADDUBSW T(4+64*c), Y9, Y13; \
	MADD(Y11, Y13, sum); \
	VPMADDUBSW T(36+64*c), Y10, Y14; \
	MADD(Y12, Y14, sum)

#define Q4CHUNK(c, MADD) \
	VMOVDQU 16+32*c(SI), Y9; \
	VPSRLW  $4, Y9, Y10; \
	VPAND   Y15, Y9, Y9; \
	VPAND   Y15, Y10, Y10; \
	VPSHUFB ·kWordBcast+64*c(SB), Y8, Y11; \
	VPSHUFB ·kWordBcast+64*c+32(SB), Y8, Y12; \
	Q4TOK(T0, c, Y4, MADD); \
	Q4TOK(T1, c, Y5, MADD); \
	Q4TOK(T2, c, Y6, MADD); \
	Q4TOK(T3, c, Y7, MADD)

// Q4FIN(T, sum, acc): acc += d*a.d * sum; Y9 holds f16(w.d).
#define Q4FIN(T, sum, acc) \
	VCVTDQ2PS    sum, sum; \
	VBROADCASTSS T(0), Y10; \
	VMULPS       Y9, Y10, Y10; \
	VFMADD231PS  Y10, sum, acc

// DOTQ4KX4 body notes:
//	Scale unpacking as in dotQ4_K.
#define DOTQ4KX4(MADD) \
	PROLOGUE4; \
	VMOVDQU ·kNibble(SB), Y15; \
	TESTQ   CX, CX; \
	JZ      q4done; \
q4loop: \
	MOVL 4(SI), AX; \
	MOVL 8(SI), BX; \
	MOVL 12(SI), DX; \
	MOVL AX, R8; \
	ANDL $0x3f3f3f3f, R8; \
	MOVL DX, R10; \
	ANDL $0x0f0f0f0f, R10; \
	SHRL $6, AX; \
	ANDL $0x03030303, AX; \
	SHLL $4, AX; \
	ORL  AX, R10; \
	SHLQ $32, R10; \
	ORQ  R10, R8; \
	MOVL BX, R10; \
	ANDL $0x3f3f3f3f, R10; \
	SHRL $4, DX; \
	ANDL $0x0f0f0f0f, DX; \
	SHRL $6, BX; \
	ANDL $0x03030303, BX; \
	SHLL $4, BX; \
	ORL  BX, DX; \
	SHLQ $32, DX; \
	ORQ  DX, R10; \
	VMOVQ      R8, X13; \
	VPINSRQ    $1, R10, X13, X13; \
	VPMOVZXBW  X13, Y14; \
	VPERMQ     $0x44, Y14, Y8; \
	VPUNPCKHBW X13, X13, X13; \
	VPMOVZXBW  X13, Y13; \
	F16BCAST(2(SI), X14, Y14); \
	Q4MIN(T0, Y0); \
	Q4MIN(T1, Y1); \
	Q4MIN(T2, Y2); \
	Q4MIN(T3, Y3); \
	VPXOR Y4, Y4, Y4; \
	VPXOR Y5, Y5, Y5; \
	VPXOR Y6, Y6, Y6; \
	VPXOR Y7, Y7, Y7; \
	Q4CHUNK(0, MADD); \
	Q4CHUNK(1, MADD); \
	Q4CHUNK(2, MADD); \
	Q4CHUNK(3, MADD); \
	F16BCAST(0(SI), X9, Y9); \
	Q4FIN(T0, Y4, Y0); \
	Q4FIN(T1, Y5, Y1); \
	Q4FIN(T2, Y6, Y2); \
	Q4FIN(T3, Y7, Y3); \
	ADDQ $144, SI; \
	ADDQ $292, DI; \
	DECQ CX; \
	JNZ  q4loop; \
q4done: \
	EPILOGUE4

// AVX2 form.
TEXT ·dotQ4_Kx4(SB), NOSPLIT, $0-40
	DOTQ4KX4(MADDACC_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ4_Kx4VNNI(SB), NOSPLIT, $0-40
	DOTQ4KX4(MADDACC_VNNI)


// ---- Q6_K x Q8_K ----
// X8 the 16 int8 scales, Y9/Y10 ql halves, Y11 qh (shifted right 2 per
// group), Y12 the group's values, Y13 its scales, Y14 scratch, Y15 0x0f.

// Q6OFF(T, sum): sum = -32 * sum_j sc_j*bsum_j for token T; Y13 holds the
// scales as int16.
#define Q6OFF(T, sum) \
	VPMADDWD T(260), Y13, Y14; \
	VPSLLD   $5, Y14, Y14; \
	VPXOR    sum, sum, sum; \
	VPSUBD   Y14, sum, sum

#define Q6TOK(T, h, g, sum, MADD) \
	VPMADDUBSW T(4+128*h+32*g), Y12, Y14; \
	MADD(Y13, Y14, sum)

// Q6GROUP(lo, h, g): values of group g of half h from the low bits in lo
// and the low 2 bits of Y11 (then shifted), dotted with all four tokens.
#define Q6GROUP(lo, h, g, MADD) \
	VPAND      ·kTwoBits(SB), Y11, Y14; \
	VPSLLW     $4, Y14, Y14; \
	VPOR       Y14, lo, Y12; \
	VPSRLW     $2, Y11, Y11; \
	VPSHUFB    ·kPairBcast+16*(4*h+g)(SB), X8, X13; \
	VPMOVSXBW  X13, Y13; \
	Q6TOK(T0, h, g, Y4, MADD); \
	Q6TOK(T1, h, g, Y5, MADD); \
	Q6TOK(T2, h, g, Y6, MADD); \
	Q6TOK(T3, h, g, Y7, MADD)

#define Q6HALF(h, MADD) \
	VMOVDQU 64*h(SI), Y9; \
	VMOVDQU 64*h+32(SI), Y10; \
	VMOVDQU 128+32*h(SI), Y11; \
	VPAND   Y15, Y9, Y12; \
	Q6GROUP(Y12, h, 0, MADD); \
	VPAND   Y15, Y10, Y12; \
	Q6GROUP(Y12, h, 1, MADD); \
	VPSRLW  $4, Y9, Y12; \
	VPAND   Y15, Y12, Y12; \
	Q6GROUP(Y12, h, 2, MADD); \
	VPSRLW  $4, Y10, Y12; \
	VPAND   Y15, Y12, Y12; \
	Q6GROUP(Y12, h, 3, MADD)

// Q6FIN(T, sum, acc): acc += d*a.d * sum; Y9 holds f16(w.d).
#define Q6FIN(T, sum, acc) \
	VCVTDQ2PS    sum, sum; \
	VBROADCASTSS T(0), Y10; \
	VMULPS       Y9, Y10, Y10; \
	VFMADD231PS  Y10, sum, acc

#define DOTQ6KX4(MADD) \
	PROLOGUE4; \
	VMOVDQU ·kNibble(SB), Y15; \
	TESTQ   CX, CX; \
	JZ      q6done; \
q6loop: \
	VMOVDQU   192(SI), X8; \
	VPMOVSXBW X8, Y13; \
	Q6OFF(T0, Y4); \
	Q6OFF(T1, Y5); \
	Q6OFF(T2, Y6); \
	Q6OFF(T3, Y7); \
	Q6HALF(0, MADD); \
	Q6HALF(1, MADD); \
	F16BCAST(208(SI), X9, Y9); \
	Q6FIN(T0, Y4, Y0); \
	Q6FIN(T1, Y5, Y1); \
	Q6FIN(T2, Y6, Y2); \
	Q6FIN(T3, Y7, Y3); \
	ADDQ $210, SI; \
	ADDQ $292, DI; \
	DECQ CX; \
	JNZ  q6loop; \
q6done: \
	EPILOGUE4

// AVX2 form.
TEXT ·dotQ6_Kx4(SB), NOSPLIT, $0-40
	DOTQ6KX4(MADDACC_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ6_Kx4VNNI(SB), NOSPLIT, $0-40
	DOTQ6KX4(MADDACC_VNNI)

