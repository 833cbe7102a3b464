// Register-tiled Q8_0 x Q8_0 kernels for prompt processing: a tile of
// weight rows against pairs of tokens, so that each weight block is
// loaded once per two tokens, each activation block once per tile of
// rows, and each float16 scale converted once per tile.
//
// func dotQ8_0Tile4x2VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)
// func dotQ8_0Tile2x2(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)
//
// Rows r < R (R = 4, 2) of nb Q8_0 blocks start at w + r*wStride; token
// t < 2*nt has nb Q8_0 blocks at a + t*aStride; the result of (r, t) goes
// to out[t*outStride + r] (float32 elements). Every result equals
// dotQ8_0's for that row and token bit for bit: the same integer lane sums
// (lane i of a block = sum of the products of its bytes 4i..4i+3), the
// same scale product fl(f16(w.d)*f16(a.d)), the same fused multiply-adds
// into an even-block and an odd-block accumulator per (row, token), the
// same final VADDPS and HSUMPS.
//
// The VNNI form takes the weights as unsigned bytes w+128 (w ^ 0x80) and
// starts each lane at -128*sum(a) of its four activations, which VPDPBUSD
// then brings to sum(w*a) exactly: no per-pair sign fix-up. The AVX2 form
// moves the weights' signs to the activations (VPSIGNB) as dotQ8_0 does.
// (Scale products taken from a table on the stack with broadcasting
// multiply-adds measured slower: the broadcast loads wait on the stores.)
//
// ISA: dotQ8_0Tile2x2 AVX2, FMA, F16C; dotQ8_0Tile4x2VNNI also AVX512F,
// AVX512VL and AVX512_VNNI (EVEX forms on Y16..Y31).
//
// Registers (both):
//	CX  blocks left      BX  token pairs left
//	SI  row 0's block    R8  wStride    R9  3*wStride
//	DI  token 0's block  R11 aStride    R13 token pair's first block
//	R10 out of the token pair           DX  outStride in bytes

#include "textflag.h"
#include "macros_amd64.h"

#define TT0(off) off(DI)
#define TT1(off) off(DI)(R11*1)
#define TW0(off) off(SI)
#define TW1(off) off(SI)(R8*1)
#define TW2(off) off(SI)(R8*2)
#define TW3(off) off(SI)(R9*1)

#define TILEPROLOGUE \
	MOVQ wStride+16(FP), R8; \
	LEAQ (R8)(R8*2), R9; \
	MOVQ aStride+32(FP), R11; \
	MOVQ a+24(FP), R13; \
	MOVQ nt+40(FP), BX; \
	MOVQ out+48(FP), R10; \
	MOVQ outStride+56(FP), DX; \
	SHLQ $2, DX

// ---- AVX512_VNNI+VL, 4 rows x 2 tokens ----
// Y0, Y1   -128*(4-byte sums of a) of tokens 0, 1
// Y2, Y3   a.qs of tokens 0, 1     Y4, Y5  f16(a.d) of tokens 0, 1
// Y8       w.qs ^ 0x80 of the row  Y9  f16(w.d) of the row
// Y10..Y13 scratch                 Y14 0x80 bytes   Y15 zero
// Y16..Y23 even-block accumulators, Y24..Y31 odd: (r, t) at 2r + t

// VPAIR(n, q, da, acc, tmp, sc): acc += f16(w.d)*da * lane sums of the
// row (Y8, Y9) and the token whose quants q and correction n hold.
#define VPAIR(n, q, da, acc, tmp, sc) \
	VMOVDQU   n, tmp; \
	VPDPBUSD  q, Y8, tmp; \
	VCVTDQ2PS tmp, tmp; \
	VMULPS    da, Y9, sc; \
	VFMADD231PS sc, tmp, acc

#define VROW(W, a0, a1) \
	VPXOR W(2), Y14, Y8; \
	F16BCAST(W(0), X9, Y9); \
	VPAIR(Y0, Y2, Y4, a0, Y10, Y12); \
	VPAIR(Y1, Y3, Y5, a1, Y11, Y13)

// VBLOCK(accs): one block of the four rows and two tokens into the
// accumulators (r, t) = a<r><t>.
#define VBLOCK(a00, a01, a10, a11, a20, a21, a30, a31) \
	VMOVDQU  TT0(2), Y2; \
	VMOVDQU  TT1(2), Y3; \
	VPXOR    Y0, Y0, Y0; \
	VPDPBUSD Y2, Y14, Y0; \
	VPSUBD   Y0, Y15, Y0; \
	VPXOR    Y1, Y1, Y1; \
	VPDPBUSD Y3, Y14, Y1; \
	VPSUBD   Y1, Y15, Y1; \
	F16BCAST(TT0(0), X4, Y4); \
	F16BCAST(TT1(0), X5, Y5); \
	VROW(TW0, a00, a01); \
	VROW(TW1, a10, a11); \
	VROW(TW2, a20, a21); \
	VROW(TW3, a30, a31)

// VSTORE(even, odd, mem): mem = HSUMPS(even + odd).
#define VSTORE(even, odd, mem) \
	VADDPS  odd, even, Y4; \
	HSUMPS(Y4, X4, X5); \
	VMOVSS  X4, mem

TEXT ·dotQ8_0Tile4x2VNNI(SB), NOSPLIT, $0-64
	TILEPROLOGUE
	VMOVDQU ·kByte80(SB), Y14
	VPXOR   Y15, Y15, Y15
	TESTQ   BX, BX
	JZ      vend

vpair:
	MOVQ   w+8(FP), SI
	MOVQ   R13, DI
	MOVQ   nb+0(FP), CX
	VPXORD Y16, Y16, Y16
	VPXORD Y17, Y17, Y17
	VPXORD Y18, Y18, Y18
	VPXORD Y19, Y19, Y19
	VPXORD Y20, Y20, Y20
	VPXORD Y21, Y21, Y21
	VPXORD Y22, Y22, Y22
	VPXORD Y23, Y23, Y23
	VPXORD Y24, Y24, Y24
	VPXORD Y25, Y25, Y25
	VPXORD Y26, Y26, Y26
	VPXORD Y27, Y27, Y27
	VPXORD Y28, Y28, Y28
	VPXORD Y29, Y29, Y29
	VPXORD Y30, Y30, Y30
	VPXORD Y31, Y31, Y31
	CMPQ   CX, $2
	JLT    vtail

vloop:
	VBLOCK(Y16, Y17, Y18, Y19, Y20, Y21, Y22, Y23)
	ADDQ $34, SI
	ADDQ $34, DI
	VBLOCK(Y24, Y25, Y26, Y27, Y28, Y29, Y30, Y31)
	ADDQ $34, SI
	ADDQ $34, DI
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  vloop

vtail:
	TESTQ CX, CX
	JZ    vdone
	VBLOCK(Y16, Y17, Y18, Y19, Y20, Y21, Y22, Y23)

vdone:
	VSTORE(Y16, Y24, 0(R10))
	VSTORE(Y18, Y26, 4(R10))
	VSTORE(Y20, Y28, 8(R10))
	VSTORE(Y22, Y30, 12(R10))
	VSTORE(Y17, Y25, 0(R10)(DX*1))
	VSTORE(Y19, Y27, 4(R10)(DX*1))
	VSTORE(Y21, Y29, 8(R10)(DX*1))
	VSTORE(Y23, Y31, 12(R10)(DX*1))
	LEAQ (R10)(DX*2), R10
	LEAQ (R13)(R11*2), R13
	DECQ BX
	JNZ  vpair

vend:
	VZEROUPPER
	RET

// ---- AVX2, 2 rows x 2 tokens ----
// Y0, Y1   a.qs of tokens 0, 1      Y2  |w.qs| of the row
// Y3       f16(w.d) of the row      Y4, Y5  f16(a.d) of tokens 0, 1
// Y6, Y7   scratch
// Y8..Y11  even-block accumulators, Y12..Y15 odd: (r, t) at 2r + t

// APAIR(W, a, da, acc): acc += f16(w.d)*da * lane sums of row W and the
// token whose quants a holds.
#define APAIR(W, a, da, acc) \
	VPSIGNB      W(2), a, Y6; \
	VPMADDUBSW   Y6, Y2, Y6; \
	VPMADDWD     ·kOnes16(SB), Y6, Y6; \
	VCVTDQ2PS    Y6, Y6; \
	VMULPS       da, Y3, Y7; \
	VFMADD231PS  Y7, Y6, acc

#define AROW(W, a0, a1) \
	VPABSB W(2), Y2; \
	F16BCAST(W(0), X3, Y3); \
	APAIR(W, Y0, Y4, a0); \
	APAIR(W, Y1, Y5, a1)

#define ABLOCK(a00, a01, a10, a11) \
	VMOVDQU TT0(2), Y0; \
	VMOVDQU TT1(2), Y1; \
	F16BCAST(TT0(0), X4, Y4); \
	F16BCAST(TT1(0), X5, Y5); \
	AROW(TW0, a00, a01); \
	AROW(TW1, a10, a11)

// ASTORE(even, odd, mem): mem = HSUMPS(even + odd); clobbers even.
#define ASTORE(even, odd, xeven, mem) \
	VADDPS odd, even, even; \
	HSUMPS(even, xeven, X0); \
	VMOVSS xeven, mem

TEXT ·dotQ8_0Tile2x2(SB), NOSPLIT, $0-64
	TILEPROLOGUE
		TESTQ   BX, BX
	JZ      aend

apair:
	MOVQ   w+8(FP), SI
	MOVQ   R13, DI
	MOVQ   nb+0(FP), CX
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15
	CMPQ   CX, $2
	JLT    atail

aloop:
	ABLOCK(Y8, Y9, Y10, Y11)
	ADDQ $34, SI
	ADDQ $34, DI
	ABLOCK(Y12, Y13, Y14, Y15)
	ADDQ $34, SI
	ADDQ $34, DI
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  aloop

atail:
	TESTQ CX, CX
	JZ    adone
	ABLOCK(Y8, Y9, Y10, Y11)

adone:
	ASTORE(Y8, Y12, X8, 0(R10))
	ASTORE(Y10, Y14, X10, 4(R10))
	ASTORE(Y9, Y13, X9, 0(R10)(DX*1))
	ASTORE(Y11, Y15, X11, 4(R10)(DX*1))
	LEAQ (R10)(DX*2), R10
	LEAQ (R13)(R11*2), R13
	DECQ BX
	JNZ  apair

aend:
	VZEROUPPER
	RET
