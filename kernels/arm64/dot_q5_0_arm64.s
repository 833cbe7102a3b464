// func dotQ5_0(nb int, w, act *byte, sdot bool) float32
//
// Q5_0 x Q8_0. A weight block is d f16, qh[4], qs[16] (22 bytes): element j
// is (qs[j]&15 | (qh>>j&1)<<4) - 16, element j+16 is
// (qs[j]>>4 | (qh>>(j+16)&1)<<4) - 16, qh a little-endian uint32.
// result = sum over blocks of (dw*da) * sum(qw*qa).
//
// Registers:
//   R0 blocks left, R1 w, R2 act, R3 sdot (0: NEON-only path)
//   R4, R5 (R6, R7) the four blocks' F16 dw, da (m, s), one per 16 bits,
//   or the scale words of a lone block; R8, R9 qh; R10 scratch
//   V0..V3 / V4..V7 weight and activation quants of the two blocks of a pair;
//   V8, V9 packed nibbles; V10..V12 fifth-bit scratch
//   V16, V17, V26, V27 the int32x4 sums of blocks A..D; V24, V25 int16
//   products (NEON-only path); V18..V23 constants
//   V28, V29 (and V30, V31) the four blocks' dw, da (m, s) as lanes
//   F13 the float32 sum, blocks added in order; V14, V15, F27, F30 scratch
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product, HWCAP asimddp) when sdot != 0.
// Four blocks per iteration (their scales converted and multiplied as
// vector lanes), then one at a time. Each block's term is rounded and added
// to the sum in block order as in ggml's generic code.

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

TEXT ·dotQ5_0(SB), NOSPLIT, $0-36
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	MOVBU sdot+24(FP), R3
	VEOR V13.B16, V13.B16, V13.B16	// F13 = 0: the running float32 sum
	VMOVI $15, V19.B16
	VMOVI $16, V20.B16
	MOVD $q5bits<>(SB), R10
	VLD1 (R10), [V21.B16, V22.B16, V23.B16]	// bit masks, byte index lo, byte index hi
	CMP $4, R0
	BLT one
quad:
	MOVHU 0(R1), R10	// weight d
	AND $0xffff, R10, R4
	MOVWU 2(R1), R8	// qh: bit j is the fifth bit of element j
	FMOVQ 6(R1), F8
	MOVHU 0(R2), R10	// activation d
	AND $0xffff, R10, R5
	FMOVQ 2(R2), F2
	FMOVQ 18(R2), F3
	MOVHU 22(R1), R10	// weight d
	BFI $16, R10, $16, R4
	MOVWU 24(R1), R9	// qh: bit j is the fifth bit of element j
	FMOVQ 28(R1), F9
	MOVHU 34(R2), R10	// activation d
	BFI $16, R10, $16, R5
	FMOVQ 36(R2), F6
	FMOVQ 52(R2), F7
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
	VSUB V20.B16, V0.B16, V0.B16	// q - 16
	VSUB V20.B16, V1.B16, V1.B16
	VMOV R9, V10.S[0]
	WORD $0x4e16014b // tbl v11.16b, {v10.16b}, v22.16b
	WORD $0x4e17014c // tbl v12.16b, {v10.16b}, v23.16b
	VCMTST V21.B16, V11.B16, V11.B16
	VCMTST V21.B16, V12.B16, V12.B16
	VAND V20.B16, V11.B16, V11.B16
	VAND V20.B16, V12.B16, V12.B16
	VAND V19.B16, V9.B16, V4.B16
	VUSHR $4, V9.B16, V5.B16
	VORR V11.B16, V4.B16, V4.B16
	VORR V12.B16, V5.B16, V5.B16
	VSUB V20.B16, V4.B16, V4.B16	// q - 16
	VSUB V20.B16, V5.B16, V5.B16
	CBZ R3, neon1
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
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
	WORD $0x0e26c098 // smull v24.8h, v4.8b, v6.8b
	WORD $0x4e268098 // smlal2 v24.8h, v4.16b, v6.16b
	WORD $0x4e602b11 // saddlp v17.4s, v24.8h
	WORD $0x0e27c0b9 // smull v25.8h, v5.8b, v7.8b
	WORD $0x4e2780b9 // smlal2 v25.8h, v5.16b, v7.16b
	WORD $0x4e606b31 // sadalp v17.4s, v25.8h
dotted2:
	MOVHU 44(R1), R10	// weight d
	BFI $32, R10, $16, R4
	MOVWU 46(R1), R8	// qh: bit j is the fifth bit of element j
	FMOVQ 50(R1), F8
	MOVHU 68(R2), R10	// activation d
	BFI $32, R10, $16, R5
	FMOVQ 70(R2), F2
	FMOVQ 86(R2), F3
	MOVHU 66(R1), R10	// weight d
	BFI $48, R10, $16, R4
	MOVWU 68(R1), R9	// qh: bit j is the fifth bit of element j
	FMOVQ 72(R1), F9
	MOVHU 102(R2), R10	// activation d
	BFI $48, R10, $16, R5
	FMOVQ 104(R2), F6
	FMOVQ 120(R2), F7
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
	VSUB V20.B16, V0.B16, V0.B16	// q - 16
	VSUB V20.B16, V1.B16, V1.B16
	VMOV R9, V10.S[0]
	WORD $0x4e16014b // tbl v11.16b, {v10.16b}, v22.16b
	WORD $0x4e17014c // tbl v12.16b, {v10.16b}, v23.16b
	VCMTST V21.B16, V11.B16, V11.B16
	VCMTST V21.B16, V12.B16, V12.B16
	VAND V20.B16, V11.B16, V11.B16
	VAND V20.B16, V12.B16, V12.B16
	VAND V19.B16, V9.B16, V4.B16
	VUSHR $4, V9.B16, V5.B16
	VORR V11.B16, V4.B16, V4.B16
	VORR V12.B16, V5.B16, V5.B16
	VSUB V20.B16, V4.B16, V4.B16	// q - 16
	VSUB V20.B16, V5.B16, V5.B16
	CBZ R3, neon3
	VMOVI $0, V26.B16
	VMOVI $0, V27.B16
	WORD $0x4e82941a // sdot v26.4s, v0.16b, v2.16b
	WORD $0x4e83943a // sdot v26.4s, v1.16b, v3.16b
	WORD $0x4e86949b // sdot v27.4s, v4.16b, v6.16b
	WORD $0x4e8794bb // sdot v27.4s, v5.16b, v7.16b
	B dotted4
neon3:
	WORD $0x0e22c018 // smull v24.8h, v0.8b, v2.8b
	WORD $0x4e228018 // smlal2 v24.8h, v0.16b, v2.16b
	WORD $0x4e602b1a // saddlp v26.4s, v24.8h
	WORD $0x0e23c039 // smull v25.8h, v1.8b, v3.8b
	WORD $0x4e238039 // smlal2 v25.8h, v1.16b, v3.16b
	WORD $0x4e606b3a // sadalp v26.4s, v25.8h
	WORD $0x0e26c098 // smull v24.8h, v4.8b, v6.8b
	WORD $0x4e268098 // smlal2 v24.8h, v4.16b, v6.16b
	WORD $0x4e602b1b // saddlp v27.4s, v24.8h
	WORD $0x0e27c0b9 // smull v25.8h, v5.8b, v7.8b
	WORD $0x4e2780b9 // smlal2 v25.8h, v5.16b, v7.16b
	WORD $0x4e606b3b // sadalp v27.4s, v25.8h
dotted4:
	ADD $88, R1, R1
	ADD $136, R2, R2
	// lanes A..D: sumi, then the blocks' terms
	FMOVD R4, F28	// the four dw
	FMOVD R5, F29	// the four da
	WORD $0x0e217b9c // fcvtl v28.4s, v28.4h
	WORD $0x0e217bbd // fcvtl v29.4s, v29.4h
	WORD $0x4eb1be10 // addp v16.4s, v16.4s, v17.4s
	WORD $0x4ebbbf5a // addp v26.4s, v26.4s, v27.4s
	WORD $0x4ebabe10 // addp v16.4s, v16.4s, v26.4s
	WORD $0x4e21da10 // scvtf v16.4s, v16.4s
	WORD $0x6e3ddf9c // fmul v28.4s, v28.4s, v29.4s
	WORD $0x6e3cde10 // fmul v16.4s, v16.4s, v28.4s
	WORD $0x1e3029ad // fadd s13, s13, s16
	WORD $0x5e0c060e // mov s14, v16.s[1]
	WORD $0x1e2e29ad // fadd s13, s13, s14
	WORD $0x5e14060e // mov s14, v16.s[2]
	WORD $0x1e2e29ad // fadd s13, s13, s14
	WORD $0x5e1c060e // mov s14, v16.s[3]
	WORD $0x1e2e29ad // fadd s13, s13, s14
	SUB $4, R0, R0
	CMP $4, R0
	BGE quad
one:
	CBZ R0, done
	MOVHU.P 2(R1), R4	// weight d
	MOVWU.P 4(R1), R8	// qh: bit j is the fifth bit of element j
	VLD1.P 16(R1), [V8.B16]
	MOVHU.P 2(R2), R5	// activation d
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
	VSUB V20.B16, V0.B16, V0.B16	// q - 16
	VSUB V20.B16, V1.B16, V1.B16
	CBZ R3, neon5
	VMOVI $0, V16.B16
	WORD $0x4e829410 // sdot v16.4s, v0.16b, v2.16b
	WORD $0x4e839430 // sdot v16.4s, v1.16b, v3.16b
	B dotted6
neon5:
	WORD $0x0e22c018 // smull v24.8h, v0.8b, v2.8b
	WORD $0x4e228018 // smlal2 v24.8h, v0.16b, v2.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e23c039 // smull v25.8h, v1.8b, v3.8b
	WORD $0x4e238039 // smlal2 v25.8h, v1.16b, v3.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
dotted6:
	VADDV V16.S4, V16
	WORD $0x5e21da10 // scvtf s16, s16
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMOVS R5, F27
	FCVTHS F27, F27	// F27 = half in the low 16 bits of R5
	FMULS F27, F30, F30	// dw*da
	FMULS F30, F16, F16	// sumi*(dw*da)
	FADDS F16, F13, F13
	SUB $1, R0, R0
	B one
done:
	FMOVS F13, ret+32(FP)
	RET
