// func dotQ5_K(nb int, w, a *byte, rows int, out *float32)
//
// Dot products of rows consecutive weight rows, each nb Q5_K superblocks,
// with one row of nb Q8_K activation blocks; out[i] = row i's result.
//
//	block_q5_K (176 bytes)
//	  0  d      float16
//	  2  dmin   float16
//	  4  scales [12]u8   8 x (6-bit scale, 6-bit min), packed as in Q4_K
//	 16  qh     [32]u8   bit 2c of qh[l]: fifth bit of element 64c+l,
//	                     bit 2c+1: of element 64c+32+l
//	 48  qs     [128]u8  low 4 bits, laid out as Q4_K's qs
//
// Per superblock: a.d * (d*sum_j sc_j*sum(q*a) - dmin*sum_j m_j*(bsum_2j+bsum_2j+1)).
// Q8_K is described in dot_q4_k_amd64.s.
//
// ISA: AVX2, FMA, F16C; dotQ5_KVNNI (same arguments, bit-identical results)
// also needs AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers:
//	R11..R13 row loop (ROWSPROLOGUE etc. in macros_amd64.h): rows left, out, a
//	CX  superblocks left   SI  w block   DI  a block
//	AX, BX, DX, R8..R10    scale unpacking
//	Y0  float acc          Y3  8 int16 scales in both lanes
//	Y8, Y7, Y4, Y5  int32 sums   Y13 qh
//	Y14 0x10 bytes         Y15 0x0f bytes
//	others scratch

#include "textflag.h"
#include "macros_amd64.h"

// CHUNK5(c, oplo, shlo, ophi, shhi, MADD, lo, hi): lo, hi += scale-weighted
// sums of the low / high halves of chunk c; oplo/ophi shift qh bit 2c /
// 2c+1 to bit 4 of each byte.
#define CHUNK5(c, oplo, shlo, ophi, shhi, MADD, lo, hi) \
	VMOVDQU    48+32*c(SI), Y9; \
	VPSRLW     $4, Y9, Y10; \
	VPAND      Y15, Y9, Y9; \
	VPAND      Y15, Y10, Y10; \
	oplo       $shlo, Y13, Y11; \
	VPAND      Y14, Y11, Y11; \
	VPOR       Y11, Y9, Y9; \
	ophi       $shhi, Y13, Y12; \
	VPAND      Y14, Y12, Y12; \
	VPOR       Y12, Y10, Y10; \
	VPMADDUBSW 4+64*c(DI), Y9, Y9; \
	VPMADDUBSW 36+64*c(DI), Y10, Y10; \
	VPSHUFB    ·kWordBcast+64*c(SB), Y3, Y11; \
	VPSHUFB    ·kWordBcast+64*c+32(SB), Y3, Y12; \
	MADD(Y11, Y9, lo); \
	MADD(Y12, Y10, hi)

// DOTQ5K body notes:
//	Scale unpacking as in dotQ4_K.
#define DOTQ5K(MADD) \
	ROWSPROLOGUE; \
	VMOVDQU ·kNibble(SB), Y15; \
	VMOVDQU ·kHighBit(SB), Y14; \
	TESTQ   R11, R11; \
	JZ      end; \
row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	TESTQ  CX, CX; \
	JZ     done; \
loop: \
	MOVL 4(SI), AX; \
	MOVL 8(SI), BX; \
	MOVL 12(SI), DX; \
	MOVL AX, R8; \
	ANDL $0x3f3f3f3f, R8; \
	MOVL DX, R9; \
	ANDL $0x0f0f0f0f, R9; \
	SHRL $6, AX; \
	ANDL $0x03030303, AX; \
	SHLL $4, AX; \
	ORL  AX, R9; \
	MOVL BX, R10; \
	ANDL $0x3f3f3f3f, R10; \
	SHRL $4, DX; \
	ANDL $0x0f0f0f0f, DX; \
	SHRL $6, BX; \
	ANDL $0x03030303, BX; \
	SHLL $4, BX; \
	ORL  BX, DX; \
	SHLQ $32, R9; \
	ORQ  R9, R8; \
	SHLQ $32, DX; \
	ORQ  DX, R10; \
	VMOVQ      R8, X1; \
	VPINSRQ    $1, R10, X1, X1; \
	VPMOVZXBW  X1, Y2; \
	VPERMQ     $0x44, Y2, Y3; \
	VPUNPCKHBW X1, X1, X4; \
	VPMOVZXBW  X4, Y4; \
	VPMADDWD   260(DI), Y4, Y4; \
	VCVTDQ2PS  Y4, Y4; \
	VBROADCASTSS (DI), Y5; \
	F16BCAST(0(SI), X6, Y6); \
	VMULPS       Y5, Y6, Y6; \
	F16BCAST(2(SI), X7, Y7); \
	VMULPS       Y5, Y7, Y7; \
	VFNMADD231PS Y7, Y4, Y0; \
	VMOVDQU 16(SI), Y13; \
	VPXOR   Y8, Y8, Y8; \
	VPXOR   Y7, Y7, Y7; \
	VPXOR   Y4, Y4, Y4; \
	VPXOR   Y5, Y5, Y5; \
	CHUNK5(0, VPSLLW, 4, VPSLLW, 3, MADD, Y8, Y7); \
	CHUNK5(1, VPSLLW, 2, VPSLLW, 1, MADD, Y4, Y5); \
	CHUNK5(2, VPSLLW, 0, VPSRLW, 1, MADD, Y8, Y7); \
	CHUNK5(3, VPSRLW, 2, VPSRLW, 3, MADD, Y4, Y5); \
	VPADDD  Y7, Y8, Y8; \
	VPADDD  Y5, Y4, Y4; \
	VPADDD  Y4, Y8, Y8; \
	VCVTDQ2PS   Y8, Y8; \
	VFMADD231PS Y6, Y8, Y0; \
	ADDQ $176, SI; \
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
TEXT ·dotQ5_K(SB), NOSPLIT, $0-40
	DOTQ5K(MADDACC_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ5_KVNNI(SB), NOSPLIT, $0-40
	DOTQ5K(MADDACC_VNNI)
