// func dotQ4_1(nb int, w, act *byte, sdot bool) float32
//
// Q4_1 x Q8_1. A weight block is d f16, m f16, qs[16] (20 bytes): element j
// is qs[j]&15, element j+16 is qs[j]>>4; the activation block is d f16,
// s f16 (d times the sum of its quants), qs[32].
// result = sum over blocks of (dw*da) * sum(qw*qa) + m*s.
//
// Registers:
//   R0 blocks left, R1 w, R2 act, R3 sdot (0: NEON-only path)
//   R4, R5 the weight and activation scale words (F16 d, and m or s above it)
//   V0, V1 weight quants (int8); V2, V3 activation quants
//   V16 the block's int32x4 sum; V24..V27 int16 products (NEON-only path)
//   F28 running float32 sum; F30, F31 scales; F16 the block's float term
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product, HWCAP asimddp) when sdot != 0.

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotQ4_1(SB), NOSPLIT, $0-36
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	MOVBU sdot+24(FP), R3
	VEOR V28.B16, V28.B16, V28.B16	// F28 = 0: the running float32 sum
	VMOVI $15, V19.B16
block:
	MOVWU.P 4(R1), R4	// weight d | m<<16
	VLD1.P 16(R1), [V4.B16]
	MOVWU.P 4(R2), R5	// activation d | s<<16
	VLD1.P 32(R2), [V2.B16, V3.B16]
	VAND V19.B16, V4.B16, V0.B16
	VUSHR $4, V4.B16, V1.B16
	CBZ R3, neon1
	VEOR V16.B16, V16.B16, V16.B16
	WORD $0x4e829410 // sdot v16.4s, v0.16b, v2.16b
	WORD $0x4e839430 // sdot v16.4s, v1.16b, v3.16b
	B dotted2
neon1:
	WORD $0x0e22c018 // smull v24.8h, v0.8b, v2.8b
	WORD $0x4e228018 // smlal2 v24.8h, v0.16b, v2.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e23c039 // smull v25.8h, v1.8b, v3.8b
	WORD $0x4e238039 // smlal2 v25.8h, v1.16b, v3.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
dotted2:
	VADDV V16.S4, V16
	WORD $0x5e21da10 // scvtf s16, s16
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMOVS R5, F31
	FCVTHS F31, F31	// F31 = half in the low 16 bits of R5
	FMULS F31, F30, F30	// dw*da
	FMULS F30, F16, F16	// sumi*(dw*da)
	LSRW $16, R4, R4
	LSRW $16, R5, R5
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMOVS R5, F31
	FCVTHS F31, F31	// F31 = half in the low 16 bits of R5
	FMULS F31, F30, F30	// m*s
	FADDS F30, F16, F16
	FADDS F16, F28, F28
	SUBS $1, R0, R0
	BNE block
	FMOVS F28, ret+32(FP)
	RET
