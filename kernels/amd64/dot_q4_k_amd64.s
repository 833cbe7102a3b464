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
// Rows go in pairs (i, i+rows/2), then the odd last row alone.
//
// Registers, pairs:
//	R11 pairs left, R12 out, R13 a, R10 bytes from row i to row i+rows/2
//	CX  superblocks left   SI  row i's block   DI  a block
//	AX, BX, DX, R8, R9     scale unpacking
//	Y0, Y1  float accs     Y2, Y3  8 int16 scales in both lanes
//	Y4, Y5 / Y6, Y7  int32 sums (low, high nibbles) of the two rows
//	Y8, Y9  a chunk's activation quants   Y15 0x0f bytes
//	Y10..Y14 scratch
// Registers, last row:
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
// Rows go in pairs i, i+rows/2 (PW0, PW1; R10 = their distance in
// bytes), the odd last row alone: the same arithmetic per row,
// interleaved, so that the activation quants are loaded once for both
// rows and the two rows' chains overlap. (Pairing adjacent rows measured
// 3x slower from memory with 4096-wide rows: two streams a row apart
// seem to defeat the hardware prefetcher; rows far apart do not.)
#define PW0(off) off(SI)
#define PW1(off) off(SI)(R10*1)

// PUNPACK(W, sc, acc): sc = the row's 8 scales as int16 in both lanes;
// acc -= f16(w.dmin)*a.d * sum_j m_j*(bsum_2j+bsum_2j+1).
#define PUNPACK(W, sc, acc) \
	MOVL W(4), AX; \
	MOVL W(8), BX; \
	MOVL W(12), DX; \
	MOVL AX, R8; \
	ANDL $0x3f3f3f3f, R8; \
	MOVL DX, R9; \
	ANDL $0x0f0f0f0f, R9; \
	SHRL $6, AX; \
	ANDL $0x03030303, AX; \
	SHLL $4, AX; \
	ORL  AX, R9; \
	SHLQ $32, R9; \
	ORQ  R9, R8; \
	MOVL BX, R9; \
	ANDL $0x3f3f3f3f, R9; \
	SHRL $4, DX; \
	ANDL $0x0f0f0f0f, DX; \
	SHRL $6, BX; \
	ANDL $0x03030303, BX; \
	SHLL $4, BX; \
	ORL  BX, DX; \
	SHLQ $32, DX; \
	ORQ  DX, R9; \
	VMOVQ      R8, X10; \
	VPINSRQ    $1, R9, X10, X10; \
	VPMOVZXBW  X10, Y11; \
	VPERMQ     $0x44, Y11, sc; \
	VPUNPCKHBW X10, X10, X10; \
	VPMOVZXBW  X10, Y10; \
	VPMADDWD   260(DI), Y10, Y10; \
	VCVTDQ2PS  Y10, Y10; \
	VBROADCASTSS (DI), Y12; \
	F16BCAST(W(2), X13, Y13); \
	VMULPS       Y12, Y13, Y13; \
	VFNMADD231PS Y13, Y10, acc

// PCHUNK(W, c, sc, lo, hi, MADD): lo, hi += the row's scale-weighted sums
// of chunk c; Y8, Y9 hold the activation quants of the chunk.
#define PCHUNK(W, c, sc, lo, hi, MADD) \
	VMOVDQU    W(16+32*c), Y10; \
	VPSRLW     $4, Y10, Y11; \
	VPAND      Y15, Y10, Y10; \
	VPAND      Y15, Y11, Y11; \
	VPMADDUBSW Y8, Y10, Y10; \
	VPMADDUBSW Y9, Y11, Y11; \
	VPSHUFB    ·kWordBcast+64*c(SB), sc, Y12; \
	VPSHUFB    ·kWordBcast+64*c+32(SB), sc, Y13; \
	MADD(Y12, Y10, lo); \
	MADD(Y13, Y11, hi)

#define PCHUNK2(c, MADD) \
	VMOVDQU 4+64*c(DI), Y8; \
	VMOVDQU 36+64*c(DI), Y9; \
	PCHUNK(PW0, c, Y2, Y4, Y5, MADD); \
	PCHUNK(PW1, c, Y3, Y6, Y7, MADD)

// MADDSET(s, p, sum): sum = the pairwise sums of the int16 products of p
// and s (the first chunk's, so no zeroing; the same int32 lanes).
#define MADDSET(s, p, sum) VPMADDWD s, p, sum

// PFIN(W, lo, hi, acc): acc += f16(w.d)*a.d * (lo + hi).
#define PFIN(W, lo, hi, acc) \
	VPADDD       hi, lo, lo; \
	VCVTDQ2PS    lo, lo; \
	VBROADCASTSS (DI), Y12; \
	F16BCAST(W(0), X13, Y13); \
	VMULPS       Y12, Y13, Y13; \
	VFMADD231PS  Y13, lo, acc

#define DOTQ4K(MADD) \
	ROWSPROLOGUE; \
	VMOVDQU ·kNibble(SB), Y15; \
	SHRQ    $1, R11; \
	MOVQ    nb+0(FP), R10; \
	IMULQ   $144, R10; \
	IMULQ   R11, R10; \
	TESTQ   R11, R11; \
	JZ      single; \
pair: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	TESTQ  CX, CX; \
	JZ     pairdone; \
pairloop: \
	PUNPACK(PW0, Y2, Y0); \
	PUNPACK(PW1, Y3, Y1); \
	PCHUNK2(0, MADDSET); \
	PCHUNK2(1, MADD); \
	PCHUNK2(2, MADD); \
	PCHUNK2(3, MADD); \
	PFIN(PW0, Y4, Y5, Y0); \
	PFIN(PW1, Y6, Y7, Y1); \
	ADDQ $144, SI; \
	ADDQ $292, DI; \
	DECQ CX; \
	JNZ  pairloop; \
pairdone: \
	MOVQ   rows+24(FP), AX; \
	SHRQ   $1, AX; \
	HSUMPS(Y0, X0, X8); \
	HSUMPS(Y1, X1, X8); \
	VMOVSS X0, (R12); \
	VMOVSS X1, (R12)(AX*4); \
	ADDQ   $4, R12; \
	DECQ   R11; \
	JNZ    pair; \
	LEAQ   (R12)(AX*4), R12; \
	ADDQ   R10, SI; \
single: \
	MOVQ   rows+24(FP), R11; \
	ANDQ   $1, R11; \
	JZ     end; \
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
