// func dotQ8_0x4(nb int, w, act *byte, stride int, sdot bool, out *[4]float32)
//
// Q8_0 x Q8_0 for four tokens (see dotQ8_0).
// One weight row against four activation rows act, act+stride, act+2*stride,
// act+3*stride: each weight block is loaded and unpacked once for the four
// tokens. Every token's float operations are those of the one-token kernel,
// in the same order, so out[t] equals its result bit for bit.
//
// Registers:
//   R0 blocks left, R1 w, R19..R22 the four activation rows, R3 sdot, R9 stride
//   R4 weight d, R5..R8 the tokens' activation d; V0, V1 weight quants
//   V2..V9 activation quants (two per token); V16..V19 int32x4 sums
//   V24..V27 int16 products (NEON-only path); F10 dw, F11 dw*da
//   F12..F15 the tokens' float32 sums
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product) when sdot != 0.

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotQ8_0x4(SB), NOSPLIT, $0-48
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R19
	MOVD stride+24(FP), R9
	MOVBU sdot+32(FP), R3
	ADD R9, R19, R20
	ADD R9, R20, R21
	ADD R9, R21, R22
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
block:
	MOVHU.P 2(R1), R4	// weight d
	VLD1.P 32(R1), [V0.B16, V1.B16]
	MOVHU.P 2(R19), R5	// token 0: activation d
	VLD1.P 32(R19), [V2.B16, V3.B16]
	MOVHU.P 2(R20), R6	// token 1: activation d
	VLD1.P 32(R20), [V4.B16, V5.B16]
	MOVHU.P 2(R21), R7	// token 2: activation d
	VLD1.P 32(R21), [V6.B16, V7.B16]
	MOVHU.P 2(R22), R8	// token 3: activation d
	VLD1.P 32(R22), [V8.B16, V9.B16]
	CBZ R3, neon1
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	VMOVI $0, V18.B16
	VMOVI $0, V19.B16
	WORD $0x4e829410 // sdot v16.4s, v0.16b, v2.16b
	WORD $0x4e839430 // sdot v16.4s, v1.16b, v3.16b
	WORD $0x4e849411 // sdot v17.4s, v0.16b, v4.16b
	WORD $0x4e859431 // sdot v17.4s, v1.16b, v5.16b
	WORD $0x4e869412 // sdot v18.4s, v0.16b, v6.16b
	WORD $0x4e879432 // sdot v18.4s, v1.16b, v7.16b
	WORD $0x4e889413 // sdot v19.4s, v0.16b, v8.16b
	WORD $0x4e899433 // sdot v19.4s, v1.16b, v9.16b
	B dotted2
neon1:
	WORD $0x0e22c018 // smull v24.8h, v0.8b, v2.8b
	WORD $0x4e228018 // smlal2 v24.8h, v0.16b, v2.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e23c039 // smull v25.8h, v1.8b, v3.8b
	WORD $0x4e238039 // smlal2 v25.8h, v1.16b, v3.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e24c01a // smull v26.8h, v0.8b, v4.8b
	WORD $0x4e24801a // smlal2 v26.8h, v0.16b, v4.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e25c03b // smull v27.8h, v1.8b, v5.8b
	WORD $0x4e25803b // smlal2 v27.8h, v1.16b, v5.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
	WORD $0x0e26c018 // smull v24.8h, v0.8b, v6.8b
	WORD $0x4e268018 // smlal2 v24.8h, v0.16b, v6.16b
	WORD $0x4e602b12 // saddlp v18.4s, v24.8h
	WORD $0x0e27c039 // smull v25.8h, v1.8b, v7.8b
	WORD $0x4e278039 // smlal2 v25.8h, v1.16b, v7.16b
	WORD $0x4e606b32 // sadalp v18.4s, v25.8h
	WORD $0x0e28c01a // smull v26.8h, v0.8b, v8.8b
	WORD $0x4e28801a // smlal2 v26.8h, v0.16b, v8.16b
	WORD $0x4e602b53 // saddlp v19.4s, v26.8h
	WORD $0x0e29c03b // smull v27.8h, v1.8b, v9.8b
	WORD $0x4e29803b // smlal2 v27.8h, v1.16b, v9.16b
	WORD $0x4e606b73 // sadalp v19.4s, v27.8h
dotted2:
	FMOVS R4, F10
	FCVTHS F10, F10	// F10 = half in the low 16 bits of R4
	VADDV V16.S4, V16
	WORD $0x5e21da10 // scvtf s16, s16
	FMOVS R5, F11
	FCVTHS F11, F11	// F11 = half in the low 16 bits of R5
	FMULS F10, F11, F11	// dw*da
	FMULS F11, F16, F16	// sumi*(dw*da)
	FADDS F16, F12, F12
	VADDV V17.S4, V17
	WORD $0x5e21da31 // scvtf s17, s17
	FMOVS R6, F11
	FCVTHS F11, F11	// F11 = half in the low 16 bits of R6
	FMULS F10, F11, F11	// dw*da
	FMULS F11, F17, F17	// sumi*(dw*da)
	FADDS F17, F13, F13
	VADDV V18.S4, V18
	WORD $0x5e21da52 // scvtf s18, s18
	FMOVS R7, F11
	FCVTHS F11, F11	// F11 = half in the low 16 bits of R7
	FMULS F10, F11, F11	// dw*da
	FMULS F11, F18, F18	// sumi*(dw*da)
	FADDS F18, F14, F14
	VADDV V19.S4, V19
	WORD $0x5e21da73 // scvtf s19, s19
	FMOVS R8, F11
	FCVTHS F11, F11	// F11 = half in the low 16 bits of R8
	FMULS F10, F11, F11	// dw*da
	FMULS F11, F19, F19	// sumi*(dw*da)
	FADDS F19, F15, F15
	SUBS $1, R0, R0
	BNE block
	MOVD out+40(FP), R6
	FMOVS F12, 0(R6)
	FMOVS F13, 4(R6)
	FMOVS F14, 8(R6)
	FMOVS F15, 12(R6)
	RET
