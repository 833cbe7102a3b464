// func dotQ5_1(nb int, w, act *byte, sdot bool) float32
//
// Q5_1 x Q8_1. A weight block is d f16, m f16, qh[4], qs[16] (24 bytes):
// element j is qs[j]&15 | (qh>>j&1)<<4, element j+16 is
// qs[j]>>4 | (qh>>(j+16)&1)<<4; the activation block is d f16, s f16, qs[32].
// result = sum over blocks of (dw*da) * sum(qw*qa) + m*s.
//
// Registers:
//   R0 blocks left, R1 w, R2 act, R3 sdot (0: NEON-only path)
//   R4, R5 (block A) and R6, R7 (block B): the weight and activation scale
//   words (F16 d, and m or s above it); R8, R9 the blocks' qh words (Q5)
//   V0, V1 / V4, V5 weight quants (int8) of blocks A / B; V2, V3 / V6, V7
//   activation quants; V8, V9 packed nibbles; V10..V15 fifth-bit scratch
//   V16, V17 int32x4 sums of blocks A, B; V24, V25, V27 int16 products (NEON path)
//   V18..V23 constants; F28 the float32 sum, block A's term added before B's
//   F30, F31, F27 scales
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product, HWCAP asimddp) when sdot != 0.
// Two blocks per iteration, then one if nb is odd.

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

// q5bits<>: 16 bit masks (1, 2, ..., 128 twice), then the TBL indexes that
// spread qh bytes 0,1 (elements 0..15) and 2,3 (elements 16..31) over 16
// lanes each.
DATA q5bits<>+0(SB)/8, $0x8040201008040201
DATA q5bits<>+8(SB)/8, $0x8040201008040201
DATA q5bits<>+16(SB)/8, $0x0000000000000000
DATA q5bits<>+24(SB)/8, $0x0101010101010101
DATA q5bits<>+32(SB)/8, $0x0202020202020202
DATA q5bits<>+40(SB)/8, $0x0303030303030303
GLOBL q5bits<>(SB), RODATA|NOPTR, $48

TEXT ·dotQ5_1(SB), NOSPLIT, $0-36
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	MOVBU sdot+24(FP), R3
	VEOR V28.B16, V28.B16, V28.B16	// F28 = 0: the running float32 sum
	VMOVI $15, V19.B16
	VMOVI $16, V20.B16
	MOVD $q5bits<>(SB), R10
	VLD1 (R10), [V21.B16, V22.B16, V23.B16]	// bit masks, byte index lo, byte index hi
	CMP $2, R0
	BLT one
pair:
	MOVWU.P 4(R1), R4	// weight d | m<<16
	MOVWU.P 4(R1), R8	// qh
	VLD1.P 16(R1), [V8.B16]
	MOVWU.P 4(R2), R5	// activation d | s<<16
	VLD1.P 32(R2), [V2.B16, V3.B16]
	MOVWU.P 4(R1), R6	// weight d | m<<16
	MOVWU.P 4(R1), R9	// qh
	VLD1.P 16(R1), [V9.B16]
	MOVWU.P 4(R2), R7	// activation d | s<<16
	VLD1.P 32(R2), [V6.B16, V7.B16]
	VMOV R8, V10.S[0]
	WORD $0x4e16014b // tbl v11.16b, {v10.16b}, v22.16b
	WORD $0x4e17014c // tbl v12.16b, {v10.16b}, v23.16b
	VCMTST V21.B16, V11.B16, V11.B16
	VCMTST V21.B16, V12.B16, V12.B16
	VAND V20.B16, V11.B16, V11.B16
	VAND V20.B16, V12.B16, V12.B16
	VAND V19.B16, V8.B16, V0.B16
	VUSHR $4, V8.B16, V1.B16
	VORR V11.B16, V0.B16, V0.B16
	VORR V12.B16, V1.B16, V1.B16
	VMOV R9, V13.S[0]
	WORD $0x4e1601ae // tbl v14.16b, {v13.16b}, v22.16b
	WORD $0x4e1701af // tbl v15.16b, {v13.16b}, v23.16b
	VCMTST V21.B16, V14.B16, V14.B16
	VCMTST V21.B16, V15.B16, V15.B16
	VAND V20.B16, V14.B16, V14.B16
	VAND V20.B16, V15.B16, V15.B16
	VAND V19.B16, V9.B16, V4.B16
	VUSHR $4, V9.B16, V5.B16
	VORR V14.B16, V4.B16, V4.B16
	VORR V15.B16, V5.B16, V5.B16
	CBZ R3, neon1
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	WORD $0x4e829410 // sdot v16.4s, v0.16b, v2.16b
	WORD $0x4e839430 // sdot v16.4s, v1.16b, v3.16b
	WORD $0x4e869491 // sdot v17.4s, v4.16b, v6.16b
	WORD $0x4e8794b1 // sdot v17.4s, v5.16b, v7.16b
	B dotted2
neon1:
	WORD $0x0e22c018 // smull v24.8h, v0.8b, v2.8b
	WORD $0x4e228018 // smlal2 v24.8h, v0.16b, v2.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e23c039 // smull v25.8h, v1.8b, v3.8b
	WORD $0x4e238039 // smlal2 v25.8h, v1.16b, v3.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c09b // smull v27.8h, v4.8b, v6.8b
	WORD $0x4e26809b // smlal2 v27.8h, v4.16b, v6.16b
	WORD $0x4e602b71 // saddlp v17.4s, v27.8h
	WORD $0x0e27c0b8 // smull v24.8h, v5.8b, v7.8b
	WORD $0x4e2780b8 // smlal2 v24.8h, v5.16b, v7.16b
	WORD $0x4e606b11 // sadalp v17.4s, v24.8h
dotted2:
	VADDV V16.S4, V16
	WORD $0x5e21da10 // scvtf s16, s16
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMOVS R5, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R5
	FMULS F27, F30, F30	// dw*da
	FMULS F30, F16, F16	// sumi*(dw*da)
	LSRW $16, R4, R4
	LSRW $16, R5, R5
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMOVS R5, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R5
	FMULS F27, F30, F30	// m*s
	FADDS F30, F16, F16
	FADDS F16, F28, F28
	VADDV V17.S4, V17
	WORD $0x5e21da31 // scvtf s17, s17
	FMOVS R6, F31
	FCVTHS F31, F31	// F31 = half in the low 16 bits of R6
	FMOVS R7, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R7
	FMULS F27, F31, F31	// dw*da
	FMULS F31, F17, F17	// sumi*(dw*da)
	LSRW $16, R6, R6
	LSRW $16, R7, R7
	FMOVS R6, F31
	FCVTHS F31, F31	// F31 = half in the low 16 bits of R6
	FMOVS R7, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R7
	FMULS F27, F31, F31	// m*s
	FADDS F31, F17, F17
	FADDS F17, F28, F28
	SUB $2, R0, R0
	CMP $2, R0
	BGE pair
one:
	CBZ R0, done
	MOVWU.P 4(R1), R4	// weight d | m<<16
	MOVWU.P 4(R1), R8	// qh
	VLD1.P 16(R1), [V8.B16]
	MOVWU.P 4(R2), R5	// activation d | s<<16
	VLD1.P 32(R2), [V2.B16, V3.B16]
	VMOV R8, V10.S[0]
	WORD $0x4e16014b // tbl v11.16b, {v10.16b}, v22.16b
	WORD $0x4e17014c // tbl v12.16b, {v10.16b}, v23.16b
	VCMTST V21.B16, V11.B16, V11.B16
	VCMTST V21.B16, V12.B16, V12.B16
	VAND V20.B16, V11.B16, V11.B16
	VAND V20.B16, V12.B16, V12.B16
	VAND V19.B16, V8.B16, V0.B16
	VUSHR $4, V8.B16, V1.B16
	VORR V11.B16, V0.B16, V0.B16
	VORR V12.B16, V1.B16, V1.B16
	CBZ R3, neon3
	VEOR V16.B16, V16.B16, V16.B16
	WORD $0x4e829410 // sdot v16.4s, v0.16b, v2.16b
	WORD $0x4e839430 // sdot v16.4s, v1.16b, v3.16b
	B dotted4
neon3:
	WORD $0x0e22c018 // smull v24.8h, v0.8b, v2.8b
	WORD $0x4e228018 // smlal2 v24.8h, v0.16b, v2.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e23c039 // smull v25.8h, v1.8b, v3.8b
	WORD $0x4e238039 // smlal2 v25.8h, v1.16b, v3.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
dotted4:
	VADDV V16.S4, V16
	WORD $0x5e21da10 // scvtf s16, s16
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMOVS R5, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R5
	FMULS F27, F30, F30	// dw*da
	FMULS F30, F16, F16	// sumi*(dw*da)
	LSRW $16, R4, R4
	LSRW $16, R5, R5
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMOVS R5, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R5
	FMULS F27, F30, F30	// m*s
	FADDS F30, F16, F16
	FADDS F16, F28, F28
done:
	FMOVS F28, ret+32(FP)
	RET
