// func dotQ2_K(nb int, w, a *byte, rows int, out *float32)
//
// Dot products of rows consecutive weight rows, each nb Q2_K superblocks,
// with one row of nb Q8_K activation blocks; out[i] = row i's result.
//
//	block_q2_K (84 bytes)
//	  0  scales [16]u8   scale (low nibble) and min (high nibble) of sub-block k
//	                     (elements 16k..16k+15)
//	 16  qs     [64]u8   bits 2s..2s+1 of qs[32h+l]: element 128h+32s+l
//	 80  d      float16
//	 82  dmin   float16
//
// Per superblock: a.d * (d*sum_k sc_k*sum(q*a) - dmin*sum_k m_k*bsum_k).
//
// ISA: AVX2, FMA, F16C; dotQ2_KVNNI (same arguments, bit-identical results)
// also needs AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers:
//	R11..R13 row loop (ROWSPROLOGUE etc. in macros_amd64.h): rows left, out, a
//	CX  superblocks left   SI  w block   DI  a block
//	X1  16 scales (bytes)  Y0  float acc   Y8  int32 sums
//	Y9  qs half (shifted right 2 per group)
//	Y14 0x0f bytes         Y15 0x03 bytes   others scratch

#include "textflag.h"
#include "macros_amd64.h"

// GROUP2(h, s): Y8 += scale-weighted sums of the 32 elements 128h+32s..
#define GROUP2(h, s, MADD) \
	VPAND      Y15, Y9, Y11; \
	VPSRLW     $2, Y9, Y9; \
	VPMADDUBSW 4+128*h+32*s(DI), Y11, Y11; \
	VPSHUFB    ·kPairBcast+16*(4*h+s)(SB), X1, X12; \
	VPMOVZXBW  X12, Y12; \
	MADD(Y12, Y11, Y8)

#define DOTQ2K(MADD) \
	ROWSPROLOGUE; \
	VMOVDQU ·kTwoBits(SB), Y15; \
	VMOVDQU ·kNibble(SB), Y14; \
	TESTQ   R11, R11; \
	JZ      end; \
row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	TESTQ  CX, CX; \
	JZ     done; \
loop: \
	VMOVDQU   0(SI), X2; \
	VPAND     X14, X2, X1; \
	VPSRLW    $4, X2, X3; \
	VPAND     X14, X3, X3; \
	VPMOVZXBW X3, Y3; \
	VPMADDWD  260(DI), Y3, Y3; \
	VCVTDQ2PS Y3, Y3; \
	VBROADCASTSS (DI), Y5; \
	F16BCAST(80(SI), X6, Y6); \
	VMULPS       Y5, Y6, Y6; \
	F16BCAST(82(SI), X7, Y7); \
	VMULPS       Y5, Y7, Y7; \
	VFNMADD231PS Y7, Y3, Y0; \
	VPXOR   Y8, Y8, Y8; \
	VMOVDQU 16(SI), Y9; \
	GROUP2(0, 0, MADD); \
	GROUP2(0, 1, MADD); \
	GROUP2(0, 2, MADD); \
	GROUP2(0, 3, MADD); \
	VMOVDQU 48(SI), Y9; \
	GROUP2(1, 0, MADD); \
	GROUP2(1, 1, MADD); \
	GROUP2(1, 2, MADD); \
	GROUP2(1, 3, MADD); \
	VCVTDQ2PS   Y8, Y8; \
	VFMADD231PS Y6, Y8, Y0; \
	ADDQ $84, SI; \
	ADDQ $292, DI; \
	DECQ CX; \
	JNZ  loop; \
done: \
	HSUMPS(Y0, X0, X1); \
	ROWEND(X0, row); \
end: \
	VZEROUPPER; \
	RET

// AVX2 form.
TEXT ·dotQ2_K(SB), NOSPLIT, $0-40
	DOTQ2K(MADDACC_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ2_KVNNI(SB), NOSPLIT, $0-40
	DOTQ2K(MADDACC_VNNI)
