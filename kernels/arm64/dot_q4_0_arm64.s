// func dotQ4_0(nb int, w, act *byte, sdot bool) float32
//
// Q4_0 x Q8_0. A weight block is d f16, qs[16] (18 bytes): element j is
// (qs[j]&15)-8, element j+16 is (qs[j]>>4)-8.
// result = sum over blocks of (dw*da) * sum(qw*qa).
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

TEXT ·dotQ4_0(SB), NOSPLIT, $0-36
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	MOVBU sdot+24(FP), R3
	VEOR V28.B16, V28.B16, V28.B16	// F28 = 0: the running float32 sum
	VMOVI $15, V19.B16
	VMOVI $8, V18.B16
	CMP $2, R0
	BLT one
pair:
	MOVHU.P 2(R1), R4	// weight d
	VLD1.P 16(R1), [V8.B16]	// qs: element j in the low nibble of byte j, j+16 in the high
	MOVHU.P 2(R2), R5	// activation d
	VLD1.P 32(R2), [V2.B16, V3.B16]
	MOVHU.P 2(R1), R6	// weight d
	VLD1.P 16(R1), [V9.B16]	// qs: element j in the low nibble of byte j, j+16 in the high
	MOVHU.P 2(R2), R7	// activation d
	VLD1.P 32(R2), [V6.B16, V7.B16]
	VAND V19.B16, V8.B16, V0.B16
	VUSHR $4, V8.B16, V1.B16
	VSUB V18.B16, V0.B16, V0.B16	// q - 8
	VSUB V18.B16, V1.B16, V1.B16
	VAND V19.B16, V9.B16, V4.B16
	VUSHR $4, V9.B16, V5.B16
	VSUB V18.B16, V4.B16, V4.B16	// q - 8
	VSUB V18.B16, V5.B16, V5.B16
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
	FMULS F30, F16, F16	// sumi*dw
	FMULS F27, F16, F16	// *da
	FADDS F16, F28, F28
	VADDV V17.S4, V17
	WORD $0x5e21da31 // scvtf s17, s17
	FMOVS R6, F31
	FCVTHS F31, F31	// F31 = half in the low 16 bits of R6
	FMOVS R7, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R7
	FMULS F31, F17, F17	// sumi*dw
	FMULS F27, F17, F17	// *da
	FADDS F17, F28, F28
	SUB $2, R0, R0
	CMP $2, R0
	BGE pair
one:
	CBZ R0, done
	MOVHU.P 2(R1), R4	// weight d
	VLD1.P 16(R1), [V8.B16]	// qs: element j in the low nibble of byte j, j+16 in the high
	MOVHU.P 2(R2), R5	// activation d
	VLD1.P 32(R2), [V2.B16, V3.B16]
	VAND V19.B16, V8.B16, V0.B16
	VUSHR $4, V8.B16, V1.B16
	VSUB V18.B16, V0.B16, V0.B16	// q - 8
	VSUB V18.B16, V1.B16, V1.B16
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
	FMULS F30, F16, F16	// sumi*dw
	FMULS F27, F16, F16	// *da
	FADDS F16, F28, F28
done:
	FMOVS F28, ret+32(FP)
	RET
