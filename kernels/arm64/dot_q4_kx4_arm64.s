// func dotQ4_Kx4(nb int, w, act *byte, stride int, sdot bool, out *[4]float32)
//
// Q4_K x Q8_K for four tokens (see dotQ4_K).
// One weight row against four activation rows act, act+stride, act+2*stride,
// act+3*stride: each weight block is loaded and unpacked once for the four
// tokens. Every token's float operations are those of the one-token kernel,
// in the same order, so out[t] equals its result bit for bit.
//
// Registers:
//   R0 blocks left, R1 w, R19..R22 the four activation rows, R3 sdot, R9 stride
//   R4 d | dmin<<16, R8 the sub-block scales, R11 the mins (one per byte)
//   R5..R7, R10, R12, R14 scratch, R15 chunk counter
//   V0, V1 packed nibbles; V8..V11 weight quants of a chunk; V2, V3 the
//   scales as int32 lanes; V4..V7 a token's activation quants; V16, V17 sub-block
//   sums; V12..V15 the tokens' scaled int32x4 block sums; V19 0x0f
//   V24..V27 scratch; F28..F31 the tokens' float32 sums; F0..F2 scratch
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product) when sdot != 0.

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotQ4_Kx4(SB), NOSPLIT, $0-48
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
block:
	MOVWU.P 4(R1), R4	// d | dmin<<16
	MOVWU.P 4(R1), R5	// scales[0:4]
	MOVWU.P 4(R1), R6	// scales[4:8]
	MOVWU.P 4(R1), R7	// scales[8:12]
	// 6-bit scales sc[0..7] into R8 and mins m[0..7] into R11, one per byte:
	// j<4: sc = s[j]&63, m = s[j+4]&63; j>=4: sc = s[j+4]&15 | (s[j-4]>>6)<<4,
	// m = s[j+4]>>4 | (s[j]>>6)<<4.
	ANDW $0x3f3f3f3f, R5, R8
	ANDW $0x0f0f0f0f, R7, R9
	LSRW $6, R5, R10
	ANDW $0x03030303, R10, R10
	ORRW R10<<4, R9, R9
	ANDW $0x3f3f3f3f, R6, R11
	LSRW $4, R7, R12
	ANDW $0x0f0f0f0f, R12, R12
	LSRW $6, R6, R10
	ANDW $0x03030303, R10, R10
	ORRW R10<<4, R12, R12
	ORR R9<<32, R8, R8
	ORR R12<<32, R11, R11
	ADD $4, R19, R19	// token 0: past y.d
	VEOR V12.B16, V12.B16, V12.B16
	ADD $4, R20, R20	// token 1: past y.d
	VEOR V13.B16, V13.B16, V13.B16
	ADD $4, R21, R21	// token 2: past y.d
	VEOR V14.B16, V14.B16, V14.B16
	ADD $4, R22, R22	// token 3: past y.d
	VEOR V15.B16, V15.B16, V15.B16
	// the eight scales as int32 lanes: V2 = sc[0..3], V3 = sc[4..7]
	VMOV R8, V2.D[0]
	WORD $0x2f08a442 // uxtl v2.8h, v2.8b
	WORD $0x6f10a443 // uxtl2 v3.4s, v2.8h
	WORD $0x2f10a442 // uxtl v2.4s, v2.4h
	// chunk 0
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
	VLD1.P 64(R19), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 0
	CBZ R3, neon1
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted2
neon1:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted2:
	WORD $0x6f82020c // mla v12.4s, v16.4s, v2.s[0]
	WORD $0x6fa2022c // mla v12.4s, v17.4s, v2.s[1]
	VLD1.P 64(R20), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 1
	CBZ R3, neon3
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted4
neon3:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted4:
	WORD $0x6f82020d // mla v13.4s, v16.4s, v2.s[0]
	WORD $0x6fa2022d // mla v13.4s, v17.4s, v2.s[1]
	VLD1.P 64(R21), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 2
	CBZ R3, neon5
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted6
neon5:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted6:
	WORD $0x6f82020e // mla v14.4s, v16.4s, v2.s[0]
	WORD $0x6fa2022e // mla v14.4s, v17.4s, v2.s[1]
	VLD1.P 64(R22), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 3
	CBZ R3, neon7
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted8
neon7:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted8:
	WORD $0x6f82020f // mla v15.4s, v16.4s, v2.s[0]
	WORD $0x6fa2022f // mla v15.4s, v17.4s, v2.s[1]
	// chunk 1
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
	VLD1.P 64(R19), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 0
	CBZ R3, neon9
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted10
neon9:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted10:
	WORD $0x6f820a0c // mla v12.4s, v16.4s, v2.s[2]
	WORD $0x6fa20a2c // mla v12.4s, v17.4s, v2.s[3]
	VLD1.P 64(R20), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 1
	CBZ R3, neon11
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted12
neon11:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted12:
	WORD $0x6f820a0d // mla v13.4s, v16.4s, v2.s[2]
	WORD $0x6fa20a2d // mla v13.4s, v17.4s, v2.s[3]
	VLD1.P 64(R21), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 2
	CBZ R3, neon13
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted14
neon13:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted14:
	WORD $0x6f820a0e // mla v14.4s, v16.4s, v2.s[2]
	WORD $0x6fa20a2e // mla v14.4s, v17.4s, v2.s[3]
	VLD1.P 64(R22), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 3
	CBZ R3, neon15
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted16
neon15:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted16:
	WORD $0x6f820a0f // mla v15.4s, v16.4s, v2.s[2]
	WORD $0x6fa20a2f // mla v15.4s, v17.4s, v2.s[3]
	// chunk 2
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
	VLD1.P 64(R19), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 0
	CBZ R3, neon17
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted18
neon17:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted18:
	WORD $0x6f83020c // mla v12.4s, v16.4s, v3.s[0]
	WORD $0x6fa3022c // mla v12.4s, v17.4s, v3.s[1]
	VLD1.P 64(R20), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 1
	CBZ R3, neon19
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted20
neon19:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted20:
	WORD $0x6f83020d // mla v13.4s, v16.4s, v3.s[0]
	WORD $0x6fa3022d // mla v13.4s, v17.4s, v3.s[1]
	VLD1.P 64(R21), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 2
	CBZ R3, neon21
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted22
neon21:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted22:
	WORD $0x6f83020e // mla v14.4s, v16.4s, v3.s[0]
	WORD $0x6fa3022e // mla v14.4s, v17.4s, v3.s[1]
	VLD1.P 64(R22), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 3
	CBZ R3, neon23
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted24
neon23:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted24:
	WORD $0x6f83020f // mla v15.4s, v16.4s, v3.s[0]
	WORD $0x6fa3022f // mla v15.4s, v17.4s, v3.s[1]
	// chunk 3
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
	VLD1.P 64(R19), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 0
	CBZ R3, neon25
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted26
neon25:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted26:
	WORD $0x6f830a0c // mla v12.4s, v16.4s, v3.s[2]
	WORD $0x6fa30a2c // mla v12.4s, v17.4s, v3.s[3]
	VLD1.P 64(R20), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 1
	CBZ R3, neon27
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted28
neon27:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted28:
	WORD $0x6f830a0d // mla v13.4s, v16.4s, v3.s[2]
	WORD $0x6fa30a2d // mla v13.4s, v17.4s, v3.s[3]
	VLD1.P 64(R21), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 2
	CBZ R3, neon29
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted30
neon29:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted30:
	WORD $0x6f830a0e // mla v14.4s, v16.4s, v3.s[2]
	WORD $0x6fa30a2e // mla v14.4s, v17.4s, v3.s[3]
	VLD1.P 64(R22), [V4.B16, V5.B16, V6.B16, V7.B16]	// token 3
	CBZ R3, neon31
	VMOVI $0, V16.B16
	VMOVI $0, V17.B16
	WORD $0x4e849510 // sdot v16.4s, v8.16b, v4.16b
	WORD $0x4e859530 // sdot v16.4s, v9.16b, v5.16b
	WORD $0x4e869551 // sdot v17.4s, v10.16b, v6.16b
	WORD $0x4e879571 // sdot v17.4s, v11.16b, v7.16b
	B dotted32
neon31:
	WORD $0x0e24c118 // smull v24.8h, v8.8b, v4.8b
	WORD $0x4e248118 // smlal2 v24.8h, v8.16b, v4.16b
	WORD $0x4e602b10 // saddlp v16.4s, v24.8h
	WORD $0x0e25c139 // smull v25.8h, v9.8b, v5.8b
	WORD $0x4e258139 // smlal2 v25.8h, v9.16b, v5.16b
	WORD $0x4e606b30 // sadalp v16.4s, v25.8h
	WORD $0x0e26c15a // smull v26.8h, v10.8b, v6.8b
	WORD $0x4e26815a // smlal2 v26.8h, v10.16b, v6.16b
	WORD $0x4e602b51 // saddlp v17.4s, v26.8h
	WORD $0x0e27c17b // smull v27.8h, v11.8b, v7.8b
	WORD $0x4e27817b // smlal2 v27.8h, v11.16b, v7.16b
	WORD $0x4e606b71 // sadalp v17.4s, v27.8h
dotted32:
	WORD $0x6f830a0f // mla v15.4s, v16.4s, v3.s[2]
	WORD $0x6fa30a2f // mla v15.4s, v17.4s, v3.s[3]
	VMOV R11, V26.D[0]
	WORD $0x2f08a75a // uxtl v26.8h, v26.8b
	FMOVS R4, F1
	FCVTHS F1, F1	// F1 = half in the low 16 bits of R4
	LSRW $16, R4, R5
	FMOVS R5, F2
	FCVTHS F2, F2	// F2 = half in the low 16 bits of R5
	// token 0: sum += (d*y.d)*isum; sum -= (dmin*y.d)*summ
	FMOVS -260(R19), F0	// y.d
	VLD1.P 32(R19), [V24.H8, V25.H8]	// bsums
	WORD $0x4e79bf18 // addp v24.8h, v24.8h, v25.8h
	WORD $0x0e7ac31b // smull v27.4s, v24.4h, v26.4h
	WORD $0x4e7a831b // smlal2 v27.4s, v24.8h, v26.8h
	VADDV V27.S4, V27
	WORD $0x5e21db7b // scvtf s27, s27
	VADDV V12.S4, V12
	WORD $0x5e21d98c // scvtf s12, s12
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F12, F12
	FADDS F12, F28, F28
	FMULS F0, F2, F25	// dmin*y.d
	FMULS F25, F27, F27
	FSUBS F27, F28, F28
	// token 1: sum += (d*y.d)*isum; sum -= (dmin*y.d)*summ
	FMOVS -260(R20), F0	// y.d
	VLD1.P 32(R20), [V24.H8, V25.H8]	// bsums
	WORD $0x4e79bf18 // addp v24.8h, v24.8h, v25.8h
	WORD $0x0e7ac31b // smull v27.4s, v24.4h, v26.4h
	WORD $0x4e7a831b // smlal2 v27.4s, v24.8h, v26.8h
	VADDV V27.S4, V27
	WORD $0x5e21db7b // scvtf s27, s27
	VADDV V13.S4, V13
	WORD $0x5e21d9ad // scvtf s13, s13
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F13, F13
	FADDS F13, F29, F29
	FMULS F0, F2, F25	// dmin*y.d
	FMULS F25, F27, F27
	FSUBS F27, F29, F29
	// token 2: sum += (d*y.d)*isum; sum -= (dmin*y.d)*summ
	FMOVS -260(R21), F0	// y.d
	VLD1.P 32(R21), [V24.H8, V25.H8]	// bsums
	WORD $0x4e79bf18 // addp v24.8h, v24.8h, v25.8h
	WORD $0x0e7ac31b // smull v27.4s, v24.4h, v26.4h
	WORD $0x4e7a831b // smlal2 v27.4s, v24.8h, v26.8h
	VADDV V27.S4, V27
	WORD $0x5e21db7b // scvtf s27, s27
	VADDV V14.S4, V14
	WORD $0x5e21d9ce // scvtf s14, s14
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F14, F14
	FADDS F14, F30, F30
	FMULS F0, F2, F25	// dmin*y.d
	FMULS F25, F27, F27
	FSUBS F27, F30, F30
	// token 3: sum += (d*y.d)*isum; sum -= (dmin*y.d)*summ
	FMOVS -260(R22), F0	// y.d
	VLD1.P 32(R22), [V24.H8, V25.H8]	// bsums
	WORD $0x4e79bf18 // addp v24.8h, v24.8h, v25.8h
	WORD $0x0e7ac31b // smull v27.4s, v24.4h, v26.4h
	WORD $0x4e7a831b // smlal2 v27.4s, v24.8h, v26.8h
	VADDV V27.S4, V27
	WORD $0x5e21db7b // scvtf s27, s27
	VADDV V15.S4, V15
	WORD $0x5e21d9ef // scvtf s15, s15
	FMULS F0, F1, F25	// d*y.d
	FMULS F25, F15, F15
	FADDS F15, F31, F31
	FMULS F0, F2, F25	// dmin*y.d
	FMULS F25, F27, F27
	FSUBS F27, F31, F31
	SUBS $1, R0, R0
	BNE block
	MOVD out+40(FP), R6
	FMOVS F28, 0(R6)
	FMOVS F29, 4(R6)
	FMOVS F30, 8(R6)
	FMOVS F31, 12(R6)
	RET
