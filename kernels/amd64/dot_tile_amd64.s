// Register-tiled Q8_0 x Q8_0 kernels for prompt processing: a tile of
// weight rows against a tile of tokens, so that each weight block is
// loaded once per tile of tokens, each activation block once per tile of
// rows, and each float16 scale converted once per tile.
//
// func dotQ8_0Tile4x4VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)
// func dotQ8_0Tile4x2VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)
// func dotQ8_0Tile2x2(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int)
//
// Rows r < R (R = 4, 4, 2) of nb Q8_0 blocks start at w + r*wStride;
// token t < T*nt (T = 4, 2, 2) has nb Q8_0 blocks at a + t*aStride; the
// result of (r, t) goes to out[t*outStride + r] (float32 elements). Every result equals
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
//
// ISA: dotQ8_0Tile2x2 AVX2, FMA, F16C; the VNNI forms also AVX512F,
// AVX512VL and AVX512_VNNI (EVEX forms on Y16..Y31).
//
// Registers (all three; more below per kernel):
//	CX  blocks left      BX  token tiles left
//	SI  row 0's block    R8  wStride    R9  3*wStride
//	DI  token 0's block  R11 aStride    R13 token tile's first block
//	R10 out of the token tile           DX  outStride in bytes

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

// ---- AVX512_VNNI+VL, 4 rows x 4 tokens ----
// func dotQ8_0Tile4x4VNNI(nb int, w *byte, wStride int, a *byte, aStride, nt int, out *float32, outStride int, dw, da *float32)
//
// dw is scratch for 16*nb float32: the kernel fills it first with the
// float32 weight scales of its four rows, each repeated four times
// (block b: dw(r) at 16b + 4r + 0..3). da holds the activation scales as
// float32 (from q8ScalesDa): token tile k, block b, token t at
// 16*(k*nb + b) + 4t bytes. So no float16 is converted per token tile.
//
// The even blocks go first, into Y16..Y31, which are then spilled to the
// stack; then the odd blocks into Y16..Y31 again (each accumulator sees
// the same multiply-adds in the same order as in dotQ8_0, so only 16 of
// them are live at a time). Each pass goes in chunks of up to 16 blocks:
// first the 16 scale products fl(d_w(r)*d_a(t)) of every block of the
// chunk into a table on the stack, then the multiply-adds, which
// broadcast their scale from the table (a load, not a VMULPS per pair:
// VPDPBUSD, VMULPS and VFMADD share two pipes on AMD Zen 4; the table is
// written a chunk ahead so that the loads do not wait on the stores).
// Measured 1024x1024 x 64 tokens: converting the float16 scales per token
// tile in the kernel cost a quarter of the time.
//
// AX  64-byte aligned scratch: table 0..1023 (block j's scale of (r, t)
//     at 64*j + 16*r + 4*t), spilled even accumulators 1024..1535
//     ((r, t) at 1024 + 32*(4r + t)), out of the token tile at 1536, the
//     dw and da cursors of the pass at 1544, 1552, da of the token tile
//     at 1560
// DX  64 * blocks in the chunk    R10 64 * block of the chunk
// R12 3*aStride (R9, R12: the scale cursors while the table is made)
// Y0..Y3   -128*(4-byte sums of a) of tokens 0..3
// Y4..Y7   a.qs of tokens 0..3     Y8  w.qs ^ 0x80 of the row
// Y9..Y13  scratch                 Y14 0x80 bytes   Y15 zero
// Y16..Y31 accumulators: (r, t) at 4r + t

#define TT2(off) off(DI)(R11*2)
#define TT3(off) off(DI)(R12*1)

// Q4PAIR(n, q, sc, acc, tmp): acc += scale at sc * lane sums of the row
// (Y8) and the token whose quants q and correction n hold.
#define Q4PAIR(n, q, sc, acc, tmp) \
	VMOVDQU   n, tmp; \
	VPDPBUSD  q, Y8, tmp; \
	VCVTDQ2PS tmp, tmp; \
	VFMADD231PS.BCST sc, tmp, acc

#define Q4ROW(W, r, a0, a1, a2, a3) \
	VPXOR W(2), Y14, Y8; \
	Q4PAIR(Y0, Y4, 16*r(AX)(R10*1), a0, Y10); \
	Q4PAIR(Y1, Y5, 16*r+4(AX)(R10*1), a1, Y11); \
	Q4PAIR(Y2, Y6, 16*r+8(AX)(R10*1), a2, Y12); \
	Q4PAIR(Y3, Y7, 16*r+12(AX)(R10*1), a3, Y13)

#define Q4NEG(T, q, n) \
	VMOVDQU  T(2), q; \
	VPXOR    n, n, n; \
	VPDPBUSD q, Y14, n; \
	VPSUBD   n, Y15, n

// Q4PASS(labels): CX blocks from SI, DI on, 68 bytes apart, into
// Y16..Y31; their scales from the cursors at 1544(AX), 1552(AX).
#define Q4PASS(chunk, k, scales, blocks) \
chunk: \
	MOVQ CX, DX; \
	CMPQ DX, $16; \
	JLE  k; \
	MOVQ $16, DX; \
k: \
	SUBQ DX, CX; \
	SHLQ $6, DX; \
	XORQ R10, R10; \
	MOVQ 1544(AX), R9; \
	MOVQ 1552(AX), R12; \
scales: \
	VBROADCASTF128 (R12), Y10; \
	VMOVUPS        (R9), Y11; \
	VMULPS         Y10, Y11, Y11; \
	VMOVAPS        Y11, 0(AX)(R10*1); \
	VMOVUPS        32(R9), Y12; \
	VMULPS         Y10, Y12, Y12; \
	VMOVAPS        Y12, 32(AX)(R10*1); \
	ADDQ $128, R9; \
	ADDQ $32, R12; \
	ADDQ $64, R10; \
	CMPQ R10, DX; \
	JLT  scales; \
	MOVQ R9, 1544(AX); \
	MOVQ R12, 1552(AX); \
	LEAQ (R8)(R8*2), R9; \
	LEAQ (R11)(R11*2), R12; \
	XORQ R10, R10; \
blocks: \
	Q4NEG(TT0, Y4, Y0); \
	Q4NEG(TT1, Y5, Y1); \
	Q4NEG(TT2, Y6, Y2); \
	Q4NEG(TT3, Y7, Y3); \
	Q4ROW(TW0, 0, Y16, Y17, Y18, Y19); \
	Q4ROW(TW1, 1, Y20, Y21, Y22, Y23); \
	Q4ROW(TW2, 2, Y24, Y25, Y26, Y27); \
	Q4ROW(TW3, 3, Y28, Y29, Y30, Y31); \
	ADDQ $68, SI; \
	ADDQ $68, DI; \
	ADDQ $64, R10; \
	CMPQ R10, DX; \
	JLT  blocks; \
	TESTQ CX, CX; \
	JNZ  chunk

#define ZERO16 \
	VPXORD Y16, Y16, Y16; \
	VPXORD Y17, Y17, Y17; \
	VPXORD Y18, Y18, Y18; \
	VPXORD Y19, Y19, Y19; \
	VPXORD Y20, Y20, Y20; \
	VPXORD Y21, Y21, Y21; \
	VPXORD Y22, Y22, Y22; \
	VPXORD Y23, Y23, Y23; \
	VPXORD Y24, Y24, Y24; \
	VPXORD Y25, Y25, Y25; \
	VPXORD Y26, Y26, Y26; \
	VPXORD Y27, Y27, Y27; \
	VPXORD Y28, Y28, Y28; \
	VPXORD Y29, Y29, Y29; \
	VPXORD Y30, Y30, Y30; \
	VPXORD Y31, Y31, Y31

// Q4STORE(acc, i, mem): mem = HSUMPS(spilled even acc i + odd acc), the
// even sum the first operand as in dotQ8_0 (which NaN of two comes out).
#define Q4STORE(acc, i, mem) \
	VMOVUPS 1024+32*i(AX), Y4; \
	VADDPS  acc, Y4, Y4; \
	HSUMPS(Y4, X4, X5); \
	VMOVSS  X4, mem

TEXT ·dotQ8_0Tile4x4VNNI(SB), 0, $1664-80
	MOVQ    wStride+16(FP), R8
	LEAQ    (R8)(R8*2), R9
	// dw: the rows' scales, each four times.
	MOVQ    w+8(FP), SI
	MOVQ    nb+0(FP), CX
	MOVQ    dw+64(FP), DI
	VMOVDQU ·kPermLo4(SB), Y12
	VMOVDQU ·kPermHi4(SB), Y13
qdw:
	VPINSRW $0, TW0(0), X9, X9
	VPINSRW $1, TW1(0), X9, X9
	VPINSRW $2, TW2(0), X9, X9
	VPINSRW $3, TW3(0), X9, X9
	VCVTPH2PS X9, X9
	VPERMPS Y9, Y12, Y10
	VPERMPS Y9, Y13, Y11
	VMOVUPS Y10, (DI)
	VMOVUPS Y11, 32(DI)
	ADDQ    $34, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     qdw

	TILEPROLOGUE
	LEAQ    (R11)(R11*2), R12
	LEAQ    63(SP), AX
	ANDQ    $~63, AX
	MOVQ    R10, 1536(AX)
	MOVQ    da+72(FP), CX
	MOVQ    CX, 1560(AX)
	VMOVDQU ·kByte80(SB), Y14
	VPXOR   Y15, Y15, Y15
	TESTQ   BX, BX
	JZ      qend

qtile:
	MOVQ w+8(FP), SI
	MOVQ R13, DI
	MOVQ dw+64(FP), CX
	MOVQ CX, 1544(AX)
	MOVQ 1560(AX), CX
	MOVQ CX, 1552(AX)
	MOVQ nb+0(FP), CX
	INCQ CX
	SHRQ $1, CX
	ZERO16
	Q4PASS(qechunk, qek, qescales, qeblocks)
	VMOVUPS Y16, 1024(AX)
	VMOVUPS Y17, 1056(AX)
	VMOVUPS Y18, 1088(AX)
	VMOVUPS Y19, 1120(AX)
	VMOVUPS Y20, 1152(AX)
	VMOVUPS Y21, 1184(AX)
	VMOVUPS Y22, 1216(AX)
	VMOVUPS Y23, 1248(AX)
	VMOVUPS Y24, 1280(AX)
	VMOVUPS Y25, 1312(AX)
	VMOVUPS Y26, 1344(AX)
	VMOVUPS Y27, 1376(AX)
	VMOVUPS Y28, 1408(AX)
	VMOVUPS Y29, 1440(AX)
	VMOVUPS Y30, 1472(AX)
	VMOVUPS Y31, 1504(AX)
	MOVQ w+8(FP), SI
	ADDQ $34, SI
	LEAQ 34(R13), DI
	MOVQ dw+64(FP), CX
	ADDQ $64, CX
	MOVQ CX, 1544(AX)
	MOVQ 1560(AX), CX
	ADDQ $16, CX
	MOVQ CX, 1552(AX)
	MOVQ nb+0(FP), CX
	SHRQ $1, CX
	ZERO16
	TESTQ CX, CX
	JZ    qstore
	Q4PASS(qochunk, qok, qoscales, qoblocks)

qstore:
	MOVQ 1536(AX), R10
	MOVQ outStride+56(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R9
	Q4STORE(Y16, 0, 0(R10))
	Q4STORE(Y17, 1, 0(R10)(DX*1))
	Q4STORE(Y18, 2, 0(R10)(DX*2))
	Q4STORE(Y19, 3, 0(R10)(R9*1))
	Q4STORE(Y20, 4, 4(R10))
	Q4STORE(Y21, 5, 4(R10)(DX*1))
	Q4STORE(Y22, 6, 4(R10)(DX*2))
	Q4STORE(Y23, 7, 4(R10)(R9*1))
	Q4STORE(Y24, 8, 8(R10))
	Q4STORE(Y25, 9, 8(R10)(DX*1))
	Q4STORE(Y26, 10, 8(R10)(DX*2))
	Q4STORE(Y27, 11, 8(R10)(R9*1))
	Q4STORE(Y28, 12, 12(R10))
	Q4STORE(Y29, 13, 12(R10)(DX*1))
	Q4STORE(Y30, 14, 12(R10)(DX*2))
	Q4STORE(Y31, 15, 12(R10)(R9*1))
	LEAQ (R8)(R8*2), R9
	LEAQ (R10)(DX*4), R10
	MOVQ R10, 1536(AX)
	MOVQ nb+0(FP), CX
	SHLQ $4, CX
	ADDQ CX, 1560(AX)
	LEAQ (R13)(R11*4), R13
	DECQ BX
	JNZ  qtile

qend:
	VZEROUPPER
	RET

// func q8ScalesDa(nb int, a *byte, aStride, nt int, out *float32)
//
// The activation scales of nt tiles of four Q8_0 token rows as float32
// (VCVTPH2PS, so NaNs are quieted as everywhere else): out[16*(k*nb + b)
// + 4t bytes] = f16(block b of token 4k+t). ISA: AVX, F16C.
TEXT ·q8ScalesDa(SB), NOSPLIT, $0-40
	MOVQ nb+0(FP), R8
	MOVQ a+8(FP), DI
	MOVQ aStride+16(FP), R11
	LEAQ (R11)(R11*2), R12
	MOVQ nt+24(FP), BX
	MOVQ out+32(FP), R10
	TESTQ BX, BX
	JZ    sdone
	TESTQ R8, R8
	JZ    sdone

stile:
	MOVQ DI, SI
	MOVQ R8, CX

sblock:
	VPINSRW $0, 0(SI), X0, X0
	VPINSRW $1, 0(SI)(R11*1), X0, X0
	VPINSRW $2, 0(SI)(R11*2), X0, X0
	VPINSRW $3, 0(SI)(R12*1), X0, X0
	VCVTPH2PS X0, X0
	VMOVUPS X0, (R10)
	ADDQ $16, R10
	ADDQ $34, SI
	DECQ CX
	JNZ  sblock
	LEAQ (DI)(R11*4), DI
	DECQ BX
	JNZ  stile

sdone:
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
