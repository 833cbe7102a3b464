// func dotQ3_K(nb int, w, a *byte, rows int, out *float32)
//
// Dot products of rows consecutive weight rows, each nb Q3_K superblocks,
// with one row of nb Q8_K activation blocks; out[i] = row i's result.
//
//	block_q3_K (110 bytes)
//	  0  hmask  [32]u8   bit 4h+s of hmask[l]: bit 2 of element 128h+32s+l
//	 32  qs     [64]u8   bits 2s..2s+1 of qs[32h+l]: bits 0-1 of element 128h+32s+l
//	 96  scales [12]u8   16 x 6-bit scales (stored +32): scale k has low 4 bits
//	                     scales[k]&15 (k<8) or scales[k-8]>>4, high 2 bits
//	                     bits 2(k/4).. of scales[8+k%4]
//	108  d      float16
//
// The value is q = (low 2 bits | bit 2 << 2) - 4 (that is, 4 is subtracted
// when the hmask bit is clear). The -4 is taken out with the Q8_K bsums:
// sum(sc*(u-4)*a) = sum(sc*u*a) - 4*sum_k sc_k*bsum_k, u in 0..7.
// The result is d * a.d * that integer sum.
//
// ISA: AVX2, FMA, F16C; dotQ3_KVNNI (same arguments, bit-identical results)
// also needs AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers:
//	R11..R13 row loop (ROWSPROLOGUE etc. in macros_amd64.h): rows left, out, a
//	CX  superblocks left   SI  w block   DI  a block
//	AX, BX, DX, R8, R9     scale unpacking
//	X1  16 int8 scales     Y0  float acc   Y8  int32 sums
//	Y9  qs half (shifted right 2 per group)   Y10 hmask (shifted right 1 per group)
//	Y14 0x01 bytes         Y15 0x03 bytes    others scratch

#include "textflag.h"
#include "macros_amd64.h"

// GROUP3(h, s): Y8 += scale-weighted sums of the 32 elements 128h+32s..
#define GROUP3(h, s, MADD) \
	VPAND      Y15, Y9, Y11; \
	VPAND      Y14, Y10, Y12; \
	VPSLLW     $2, Y12, Y12; \
	VPOR       Y12, Y11, Y11; \
	VPSRLW     $2, Y9, Y9; \
	VPSRLW     $1, Y10, Y10; \
	VPMADDUBSW 4+128*h+32*s(DI), Y11, Y11; \
	VPSHUFB    ·kPairBcast+16*(4*h+s)(SB), X1, X12; \
	VPMOVSXBW  X12, Y12; \
	MADD(Y12, Y11, Y8)

// DOTQ3K body notes:
//	Scales (u0, u1, u2 = bytes 96-99, 100-103, 104-107):
//	0-3   = u0&0x0f.. | (u2&0x03..)<<4      4-7   = u1&0x0f.. | (u2>>2&0x03..)<<4
//	8-11  = u0>>4&0x0f.. | (u2>>4&0x03..)<<4  12-15 = u1>>4&0x0f.. | (u2>>6&0x03..)<<4
#define DOTQ3K(MADD) \
	ROWSPROLOGUE; \
	VMOVDQU ·kTwoBits(SB), Y15; \
	VMOVDQU ·kOnes8(SB), Y14; \
	TESTQ   R11, R11; \
	JZ      end; \
row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	TESTQ  CX, CX; \
	JZ     done; \
loop: \
	MOVL 96(SI), AX; \
	MOVL 100(SI), BX; \
	MOVL 104(SI), DX; \
	MOVL AX, R8; \
	ANDL $0x0f0f0f0f, R8; \
	MOVL DX, R9; \
	ANDL $0x03030303, R9; \
	SHLL $4, R9; \
	ORL  R9, R8; \
	MOVL BX, R9; \
	ANDL $0x0f0f0f0f, R9; \
	MOVL DX, R10; \
	SHRL $2, R10; \
	ANDL $0x03030303, R10; \
	SHLL $4, R10; \
	ORL  R10, R9; \
	SHLQ $32, R9; \
	ORQ  R9, R8; \
	SHRL $4, AX; \
	ANDL $0x0f0f0f0f, AX; \
	MOVL DX, R10; \
	SHRL $4, R10; \
	ANDL $0x03030303, R10; \
	SHLL $4, R10; \
	ORL  R10, AX; \
	SHRL $4, BX; \
	ANDL $0x0f0f0f0f, BX; \
	SHRL $6, DX; \
	ANDL $0x03030303, DX; \
	SHLL $4, DX; \
	ORL  DX, BX; \
	SHLQ $32, BX; \
	ORQ  BX, AX; \
	VMOVQ   R8, X1; \
	VPINSRQ $1, AX, X1, X1; \
	VPSUBB  ·kThirtyTwo(SB), X1, X1; \
	VPMOVSXBW X1, Y2; \
	VPMADDWD  260(DI), Y2, Y2; \
	VPSLLD    $2, Y2, Y2; \
	VPXOR     Y8, Y8, Y8; \
	VPSUBD    Y2, Y8, Y8; \
	VMOVDQU 0(SI), Y10; \
	VMOVDQU 32(SI), Y9; \
	GROUP3(0, 0, MADD); \
	GROUP3(0, 1, MADD); \
	GROUP3(0, 2, MADD); \
	GROUP3(0, 3, MADD); \
	VMOVDQU 64(SI), Y9; \
	GROUP3(1, 0, MADD); \
	GROUP3(1, 1, MADD); \
	GROUP3(1, 2, MADD); \
	GROUP3(1, 3, MADD); \
	VCVTDQ2PS    Y8, Y8; \
	VBROADCASTSS (DI), Y5; \
	F16BCAST(108(SI), X4, Y4); \
	VMULPS       Y5, Y4, Y4; \
	VFMADD231PS  Y4, Y8, Y0; \
	ADDQ $110, SI; \
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
TEXT ·dotQ3_K(SB), NOSPLIT, $0-40
	DOTQ3K(MADDACC_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ3_KVNNI(SB), NOSPLIT, $0-40
	DOTQ3K(MADDACC_VNNI)
