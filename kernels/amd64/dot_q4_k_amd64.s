// func dotQ4_K(nb int, w, a *byte, rows int, out *float32)
//
// Dot products of rows consecutive weight rows, each nb Q4_K superblocks,
// with one row of nb Q8_K activation blocks; out[i] = row i's result.
//
//	block_q4_K (144 bytes)               block_q8_K (292 bytes)
//	  0  d      float16                    0  d      float32
//	  2  dmin   float16                    4  qs     [256]int8
//	  4  scales [12]u8: 8 x (6-bit scale,  260  bsums [16]int16 (sums of 16 qs)
//	          6-bit min)
//	 16  qs     [128]u8: chunk c (0..3) of 32 bytes holds elements
//	          64c..64c+31 in its low nibbles (scale/min 2c) and
//	          64c+32..64c+63 in its high nibbles (scale/min 2c+1)
//
// Per superblock: a.d * (d*sum_j sc_j*sum(q*a) - dmin*sum_j m_j*(bsum_2j+bsum_2j+1)).
//
// ISA: AVX2, FMA, F16C; dotQ4_KVNNI (same arguments, bit-identical results)
// also needs AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers:
//	R11..R13 row loop (ROWSPROLOGUE etc. in macros_amd64.h): rows left, out, a
//	CX  superblocks left   SI  w block   DI  a block
//	AX, BX, DX, R8..R10    scale unpacking
//	Y0  float acc          Y3  8 int16 scales in both lanes
//	Y8, Y7, Y13, Y14  int32 sums   Y15 0x0f bytes
//	others scratch

#include "textflag.h"
#include "macros_amd64.h"

// CHUNK(c, MADD, lo, hi): lo, hi += scale-weighted sums of the low and
// high nibbles of chunk c (64 elements). Four accumulators in turn keep
// VNNI's multiply-accumulate chains short.
#define CHUNK(c, MADD, lo, hi) \
	VMOVDQU    16+32*c(SI), Y9; \
	VPSRLW     $4, Y9, Y10; \
	VPAND      Y15, Y9, Y9; \
	VPAND      Y15, Y10, Y10; \
	VPMADDUBSW 4+64*c(DI), Y9, Y9; \
	VPMADDUBSW 36+64*c(DI), Y10, Y10; \
	VPSHUFB    ·kWordBcast+64*c(SB), Y3, Y11; \
	VPSHUFB    ·kWordBcast+64*c+32(SB), Y3, Y12; \
	MADD(Y11, Y9, lo); \
	MADD(Y12, Y10, hi)

// DOTQ4K body notes:
//	Unpack the 12 scale bytes (u0 = bytes 0-3, u1 = 4-7, u2 = 8-11):
//	scales 0-3 = u0 & 0x3f..     scales 4-7 = (u2 & 0x0f..) | (u0>>6 & 0x03..)<<4
//	mins   0-3 = u1 & 0x3f..     mins   4-7 = (u2>>4 & 0x0f..) | (u1>>6 & 0x03..)<<4
#define DOTQ4K(MADD) \
	ROWSPROLOGUE; \
	VMOVDQU ·kNibble(SB), Y15; \
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
	VPXOR Y8, Y8, Y8; \
	VPXOR Y7, Y7, Y7; \
	VPXOR Y13, Y13, Y13; \
	VPXOR Y14, Y14, Y14; \
	CHUNK(0, MADD, Y8, Y7); \
	CHUNK(1, MADD, Y13, Y14); \
	CHUNK(2, MADD, Y8, Y7); \
	CHUNK(3, MADD, Y13, Y14); \
	VPADDD Y7, Y8, Y8; \
	VPADDD Y14, Y13, Y13; \
	VPADDD Y13, Y8, Y8; \
	VCVTDQ2PS   Y8, Y8; \
	VFMADD231PS Y6, Y8, Y0; \
	ADDQ $144, SI; \
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
TEXT ·dotQ4_K(SB), NOSPLIT, $0-40
	DOTQ4K(MADDACC_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ4_KVNNI(SB), NOSPLIT, $0-40
	DOTQ4K(MADDACC_VNNI)
