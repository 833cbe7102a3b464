// func dotQ6_K(nb int, w, a *byte, rows int, out *float32)
//
// Dot products of rows consecutive weight rows, each nb Q6_K superblocks,
// with one row of nb Q8_K activation blocks; out[i] = row i's result.
//
//	block_q6_K (210 bytes)
//	  0  ql     [128]u8   low 4 bits
//	128  qh     [64]u8    high 2 bits
//	192  scales [16]int8  one per 16 elements
//	208  d      float16
//
// Half h (0,1) covers elements 128h..128h+127 from ql[64h:64h+64] and
// qh[32h:32h+32]; for l in 0..31, with L = ql[64h+l], H = ql[64h+32+l],
// B = qh[32h+l], the 6-bit values (stored +32) of group g are
//	g=0: L&15 | (B&3)<<4       element 128h+l
//	g=1: H&15 | (B>>2&3)<<4    element 128h+32+l
//	g=2: L>>4 | (B>>4&3)<<4    element 128h+64+l
//	g=3: H>>4 | (B>>6&3)<<4    element 128h+96+l
// and element e uses scale e/16. The -32 offset is taken out with the Q8_K
// bsums: sum(sc*(q-32)*a) = sum(sc*q*a) - 32*sum_j sc_j*bsum_j.
// The result is d * a.d * that integer sum.
//
// ISA: AVX2, FMA, F16C; dotQ6_KVNNI (same arguments, bit-identical results)
// also needs AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers:
//	R11..R13 row loop (ROWSPROLOGUE etc. in macros_amd64.h): rows left, out, a
//	CX  superblocks left   SI  w block   DI  a block
//	X1  the 16 int8 scales  Y7 them as int16: 0,2,..,14 | 1,3,..,15
//	Y0  float acc          Y8, Y3, Y2, Y4  int32 sums of groups 0..3
//	                       (four chains: VPDPWSSD's latency)
//	Y9, Y10  ql halves     Y11 qh     Y6 a group's values
//	Y14 scratch            Y15 0x0f bytes
//	others scratch

#include "textflag.h"
#include "macros_amd64.h"

// HI_*(t, lo): lo |= t & 0x30.. (the two high bits, already at bits 4-5
// of t, joined to the low four in lo); t is not changed. The VNNI form
// uses AVX512VL's VPTERNLOGD (lo | t&mask is truth table 0xF8).
#define HI_AVX2(t, lo) VPAND ·kHi30(SB), t, Y13; VPOR Y13, lo, lo
#define HI_VNNI(t, lo) VPTERNLOGD $0xF8, ·kHi30(SB), t, lo

// GROUP(h, g, sum): sum += scale-weighted sums of group g of half h,
// whose 6-bit values Y6 holds. Group k = 4h+g takes scale 2k (low lane)
// and 2k+1 (high lane): word k of each lane of Y7.
#define GROUP(h, g, sum, MADD) \
	VPMADDUBSW 4+128*h+32*g(DI), Y6, Y12; \
	VPSHUFB    ·kWordBcast+32*(4*h+g)(SB), Y7, Y13; \
	MADD(Y13, Y12, sum)

// HALF(h): the four groups of half h. Group g's high bits are bits
// 2g, 2g+1 of the qh bytes (Y11), shifted to bits 4-5.
#define HALF(h, MADD, HI) \
	VMOVDQU 64*h(SI), Y9; \
	VMOVDQU 64*h+32(SI), Y10; \
	VMOVDQU 128+32*h(SI), Y11; \
	VPAND   Y15, Y9, Y6; \
	VPSLLW  $4, Y11, Y14; \
	HI(Y14, Y6); \
	GROUP(h, 0, Y8, MADD); \
	VPAND   Y15, Y10, Y6; \
	VPSLLW  $2, Y11, Y14; \
	HI(Y14, Y6); \
	GROUP(h, 1, Y3, MADD); \
	VPSRLW  $4, Y9, Y6; \
	VPAND   Y15, Y6, Y6; \
	HI(Y11, Y6); \
	GROUP(h, 2, Y2, MADD); \
	VPSRLW  $4, Y10, Y6; \
	VPAND   Y15, Y6, Y6; \
	VPSRLW  $2, Y11, Y14; \
	HI(Y14, Y6); \
	GROUP(h, 3, Y4, MADD)

#define DOTQ6K(MADD, HI) \
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
	VMOVDQU   192(SI), X1; \
	VPMOVSXBW X1, Y2; \
	VPSHUFB   ·kEvenOddBytes(SB), X1, X7; \
	VPMOVSXBW X7, Y7; \
	VPMADDWD  260(DI), Y2, Y2; \
	VPSLLD    $5, Y2, Y2; \
	VPXOR     Y8, Y8, Y8; \
	VPSUBD    Y2, Y8, Y8; \
	VPXOR     Y2, Y2, Y2; \
	VPXOR     Y3, Y3, Y3; \
	VPXOR     Y4, Y4, Y4; \
	HALF(0, MADD, HI); \
	HALF(1, MADD, HI); \
	VPADDD       Y3, Y8, Y8; \
	VPADDD       Y4, Y2, Y2; \
	VPADDD       Y2, Y8, Y8; \
	VCVTDQ2PS    Y8, Y8; \
	VBROADCASTSS (DI), Y5; \
	F16BCAST(208(SI), X4, Y4); \
	VMULPS       Y5, Y4, Y4; \
	VFMADD231PS  Y4, Y8, Y0; \
	ADDQ $210, SI; \
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
TEXT ·dotQ6_K(SB), NOSPLIT, $0-40
	DOTQ6K(MADDACC_AVX2, HI_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ6_KVNNI(SB), NOSPLIT, $0-40
	DOTQ6K(MADDACC_VNNI, HI_VNNI)
