// func dotQ6_Kx4(nb int, w, act *byte, stride int, sdot bool, out *[4]float32)
//
// Q6_K x Q8_K for four tokens (see dotQ6_K).
// One weight row against four activation rows act, act+stride, act+2*stride,
// act+3*stride: each weight block is loaded and unpacked once for the four
// tokens. Every token's float operations are those of the one-token kernel,
// in the same order, so out[t] equals its result bit for bit.
//
// Registers:
//   R0 blocks left, R1 w (ql), R13 qh, R19..R22 the four activation rows,
//   R3 sdot, R9 stride, R4 d, R8/R2 the scales, R14 scratch, R15 half counter
//   V0..V3 ql; V12, V13 qh; V8, V9 a group's weight quants; V10, V11 scratch
//   V21, V22 broadcast scales; V4, V5 a token's activation quants
//   V16, V17 sub-block sums; V6, V7, V14, V15 the tokens' scaled int32x4 sums
//   V18 3, V19 0x0f, V23 32; V24..V27 scratch; F28..F31 the tokens' sums
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product) when sdot != 0.

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotQ6_Kx4(SB), NOSPLIT, $0-48
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R19
	MOVD stride+24(FP), R9
	MOVBU sdot+32(FP), R3
	ADD R9, R19, R20
	ADD R9, R20, R21
	ADD R9, R21, R22
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	VMOVI $15, V19.B16
	VMOVI $3, V18.B16
	VMOVI $32, V23.B16
block:
	ADD $128, R1, R13	// qh
	MOVD 192(R1), R8	// scales[0:8]
	MOVD 200(R1), R2	// scales[8:16]
	MOVHU 208(R1), R4	// d
	ADD $4, R19, R19	// token 0: past y.d
	VEOR V6.B16, V6.B16, V6.B16
	ADD $4, R20, R20	// token 1: past y.d
	VEOR V7.B16, V7.B16, V7.B16
	ADD $4, R21, R21	// token 2: past y.d
	VEOR V14.B16, V14.B16, V14.B16
	ADD $4, R22, R22	// token 3: past y.d
	VEOR V15.B16, V15.B16, V15.B16
	MOVD $2, R15
half:
	VLD1.P 64(R1), [V0.B16, V1.B16, V2.B16, V3.B16]	// ql
	VLD1.P 32(R13), [V12.B16, V13.B16]	// qh
	// q[0*32+l]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VAND V18.B16, V12.B16, V10.B16
	VAND V18.B16, V13.B16, V11.B16
	VSHL $4, V10.B16, V10.B16
	VSHL $4, V11.B16, V11.B16
	VORR V10.B16, V8.B16, V8.B16
	VORR V11.B16, V9.B16, V9.B16
	VSUB V23.B16, V8.B16, V8.B16	// q - 32
	VSUB V23.B16, V9.B16, V9.B16
	VUSHR $2, V12.B16, V12.B16
	VUSHR $2, V13.B16, V13.B16
	SXTB R8, R14
	VDUP R14, V21.S4
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	LSR $8, R8, R8
	VLD1.P 32(R19), [V4.B16, V5.B16]	// token 0
	CBZ R3, neon1
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted2
neon1:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted2:
	WORD $0x4eb59606 // mla v6.4s, v16.4s, v21.4s
	WORD $0x4eb69626 // mla v6.4s, v17.4s, v22.4s
	VLD1.P 32(R20), [V4.B16, V5.B16]	// token 1
	CBZ R3, neon3
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted4
neon3:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted4:
	WORD $0x4eb59607 // mla v7.4s, v16.4s, v21.4s
	WORD $0x4eb69627 // mla v7.4s, v17.4s, v22.4s
	VLD1.P 32(R21), [V4.B16, V5.B16]	// token 2
	CBZ R3, neon5
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted6
neon5:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted6:
	WORD $0x4eb5960e // mla v14.4s, v16.4s, v21.4s
	WORD $0x4eb6962e // mla v14.4s, v17.4s, v22.4s
	VLD1.P 32(R22), [V4.B16, V5.B16]	// token 3
	CBZ R3, neon7
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted8
neon7:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted8:
	WORD $0x4eb5960f // mla v15.4s, v16.4s, v21.4s
	WORD $0x4eb6962f // mla v15.4s, v17.4s, v22.4s
	// q[1*32+l]
	VAND V19.B16, V2.B16, V8.B16
	VAND V19.B16, V3.B16, V9.B16
	VAND V18.B16, V12.B16, V10.B16
	VAND V18.B16, V13.B16, V11.B16
	VSHL $4, V10.B16, V10.B16
	VSHL $4, V11.B16, V11.B16
	VORR V10.B16, V8.B16, V8.B16
	VORR V11.B16, V9.B16, V9.B16
	VSUB V23.B16, V8.B16, V8.B16	// q - 32
	VSUB V23.B16, V9.B16, V9.B16
	VUSHR $2, V12.B16, V12.B16
	VUSHR $2, V13.B16, V13.B16
	SXTB R8, R14
	VDUP R14, V21.S4
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	LSR $8, R8, R8
	VLD1.P 32(R19), [V4.B16, V5.B16]	// token 0
	CBZ R3, neon9
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted10
neon9:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted10:
	WORD $0x4eb59606 // mla v6.4s, v16.4s, v21.4s
	WORD $0x4eb69626 // mla v6.4s, v17.4s, v22.4s
	VLD1.P 32(R20), [V4.B16, V5.B16]	// token 1
	CBZ R3, neon11
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted12
neon11:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted12:
	WORD $0x4eb59607 // mla v7.4s, v16.4s, v21.4s
	WORD $0x4eb69627 // mla v7.4s, v17.4s, v22.4s
	VLD1.P 32(R21), [V4.B16, V5.B16]	// token 2
	CBZ R3, neon13
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted14
neon13:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted14:
	WORD $0x4eb5960e // mla v14.4s, v16.4s, v21.4s
	WORD $0x4eb6962e // mla v14.4s, v17.4s, v22.4s
	VLD1.P 32(R22), [V4.B16, V5.B16]	// token 3
	CBZ R3, neon15
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted16
neon15:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted16:
	WORD $0x4eb5960f // mla v15.4s, v16.4s, v21.4s
	WORD $0x4eb6962f // mla v15.4s, v17.4s, v22.4s
	// q[2*32+l]
	VUSHR $4, V0.B16, V8.B16
	VUSHR $4, V1.B16, V9.B16
	VAND V18.B16, V12.B16, V10.B16
	VAND V18.B16, V13.B16, V11.B16
	VSHL $4, V10.B16, V10.B16
	VSHL $4, V11.B16, V11.B16
	VORR V10.B16, V8.B16, V8.B16
	VORR V11.B16, V9.B16, V9.B16
	VSUB V23.B16, V8.B16, V8.B16	// q - 32
	VSUB V23.B16, V9.B16, V9.B16
	VUSHR $2, V12.B16, V12.B16
	VUSHR $2, V13.B16, V13.B16
	SXTB R8, R14
	VDUP R14, V21.S4
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	LSR $8, R8, R8
	VLD1.P 32(R19), [V4.B16, V5.B16]	// token 0
	CBZ R3, neon17
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted18
neon17:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted18:
	WORD $0x4eb59606 // mla v6.4s, v16.4s, v21.4s
	WORD $0x4eb69626 // mla v6.4s, v17.4s, v22.4s
	VLD1.P 32(R20), [V4.B16, V5.B16]	// token 1
	CBZ R3, neon19
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted20
neon19:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted20:
	WORD $0x4eb59607 // mla v7.4s, v16.4s, v21.4s
	WORD $0x4eb69627 // mla v7.4s, v17.4s, v22.4s
	VLD1.P 32(R21), [V4.B16, V5.B16]	// token 2
	CBZ R3, neon21
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted22
neon21:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted22:
	WORD $0x4eb5960e // mla v14.4s, v16.4s, v21.4s
	WORD $0x4eb6962e // mla v14.4s, v17.4s, v22.4s
	VLD1.P 32(R22), [V4.B16, V5.B16]	// token 3
	CBZ R3, neon23
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted24
neon23:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted24:
	WORD $0x4eb5960f // mla v15.4s, v16.4s, v21.4s
	WORD $0x4eb6962f // mla v15.4s, v17.4s, v22.4s
	// q[3*32+l]
	VUSHR $4, V2.B16, V8.B16
	VUSHR $4, V3.B16, V9.B16
	VAND V18.B16, V12.B16, V10.B16
	VAND V18.B16, V13.B16, V11.B16
	VSHL $4, V10.B16, V10.B16
	VSHL $4, V11.B16, V11.B16
	VORR V10.B16, V8.B16, V8.B16
	VORR V11.B16, V9.B16, V9.B16
	VSUB V23.B16, V8.B16, V8.B16	// q - 32
	VSUB V23.B16, V9.B16, V9.B16
	SXTB R8, R14
	VDUP R14, V21.S4
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	LSR $8, R8, R8
	VLD1.P 32(R19), [V4.B16, V5.B16]	// token 0
	CBZ R3, neon25
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted26
neon25:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted26:
	WORD $0x4eb59606 // mla v6.4s, v16.4s, v21.4s
	WORD $0x4eb69626 // mla v6.4s, v17.4s, v22.4s
	VLD1.P 32(R20), [V4.B16, V5.B16]	// token 1
	CBZ R3, neon27
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted28
neon27:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted28:
	WORD $0x4eb59607 // mla v7.4s, v16.4s, v21.4s
	WORD $0x4eb69627 // mla v7.4s, v17.4s, v22.4s
	VLD1.P 32(R21), [V4.B16, V5.B16]	// token 2
	CBZ R3, neon29
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted30
neon29:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted30:
	WORD $0x4eb5960e // mla v14.4s, v16.4s, v21.4s
	WORD $0x4eb6962e // mla v14.4s, v17.4s, v22.4s
	VLD1.P 32(R22), [V4.B16, V5.B16]	// token 3
	CBZ R3, neon31
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859531 // sdot v17.4s, v9.16b, v5.16b
	B dotted32
neon31:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e602b31 // saddlp v17.4s, v25.8h
dotted32:
	WORD $0x4eb5960f // mla v15.4s, v16.4s, v21.4s
	WORD $0x4eb6962f // mla v15.4s, v17.4s, v22.4s
	MOVD R2, R8	// second half: scales[8:16]
	SUBS $1, R15, R15
	BNE half
	ADD $82, R1, R1	// past qh, scales and d
	FMOVS R4, F1
	FCVTHS F1, F1	// F1 = half in the low 16 bits of R4
	// token 0: sum += (d*y.d)*isum
	FMOVS -260(R19), F0	// y.d
	ADD $32, R19, R19	// past bsums (unused)
	VADDV V6.S4, V6
	WORD $0x5e21d8c6 // scvtf s6, s6
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F6, F6
	FADDS F6, F28, F28
	// token 1: sum += (d*y.d)*isum
	FMOVS -260(R20), F0	// y.d
	ADD $32, R20, R20	// past bsums (unused)
	VADDV V7.S4, V7
	WORD $0x5e21d8e7 // scvtf s7, s7
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F7, F7
	FADDS F7, F29, F29
	// token 2: sum += (d*y.d)*isum
	FMOVS -260(R21), F0	// y.d
	ADD $32, R21, R21	// past bsums (unused)
	VADDV V14.S4, V14
	WORD $0x5e21d9ce // scvtf s14, s14
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F14, F14
	FADDS F14, F30, F30
	// token 3: sum += (d*y.d)*isum
	FMOVS -260(R22), F0	// y.d
	ADD $32, R22, R22	// past bsums (unused)
	VADDV V15.S4, V15
	WORD $0x5e21d9ef // scvtf s15, s15
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F15, F15
	FADDS F15, F31, F31
	SUBS $1, R0, R0
	BNE block
	MOVD out+40(FP), R6
	FMOVS F28, 0(R6)
	FMOVS F29, 4(R6)
	FMOVS F30, 8(R6)
	FMOVS F31, 12(R6)
	RET
