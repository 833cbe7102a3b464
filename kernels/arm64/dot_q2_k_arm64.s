// func dotQ2_K(nb int, w, act *byte, sdot bool) float32
//
// Q2_K x Q8_K. A weight block is scales[16], qs[64], d f16, dmin f16:
// 16 sub-blocks of 16, each with a 4-bit scale (low nibble) and 4-bit min
// (high nibble). Half h (0, 1) uses qs[32h:32h+32]; its group g (0..3) is
// q[128h+32g+l] = qs[32h+l]>>2g & 3, l in 0..31.
// result = sum over blocks of d*y.d*sum(sc[j]*q.y) - dmin*y.d*sum(m[j]*bsums[j])
//
// Registers:
//   R0 blocks left, R1 w, R2 act, R3 sdot (0: NEON-only path), R4 d (| dmin<<16)
//   V8, V9 the weight quants of two sub-blocks; V4, V5 their activations
//   V16, V17 their int32x4 sums; V20, V21 the block's scaled sums (even and
//   odd sub-blocks); V6, V7, V14, V15 the 16 scales as int32 lanes
//   V24, V25 scratch (NEON-only path); F28 running float32 sum; F29 y.d
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product, HWCAP asimddp) when sdot != 0.
//   V26 the scales bytes; V0, V1 qs; V19 3, V18 0x0f; V22, V23, V27 scratch

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotQ2_K(SB), NOSPLIT, $0-36
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	MOVBU sdot+24(FP), R3
	VEOR V28.B16, V28.B16, V28.B16	// F28 = 0: the running float32 sum
	VMOVI $3, V19.B16
	VMOVI $15, V18.B16
block:
	VLD1.P 16(R1), [V26.B16]	// scales
	MOVWU 64(R1), R4	// d | dmin<<16
	VAND V18.B16, V26.B16, V27.B16	// sc
	WORD $0x6f08a76f // uxtl2 v15.8h, v27.16b
	WORD $0x2f08a766 // uxtl v6.8h, v27.8b
	WORD $0x2f10a5ee // uxtl v14.4s, v15.4h
	WORD $0x6f10a5ef // uxtl2 v15.4s, v15.8h
	WORD $0x6f10a4c7 // uxtl2 v7.4s, v6.8h
	WORD $0x2f10a4c6 // uxtl v6.4s, v6.4h
	MOVWU.P 4(R2), R14
	FMOVS R14, F29	// y.d
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	// half 0
	VLD1.P 32(R1), [V0.B16, V1.B16]	// qs
	// group 0: shift 0
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f860214 // mla v20.4s, v16.4s, v6.s[0]
	WORD $0x6fa60235 // mla v21.4s, v17.4s, v6.s[1]
	// group 1: shift 2
	VUSHR $2, V0.B16, V8.B16
	VUSHR $2, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f860a14 // mla v20.4s, v16.4s, v6.s[2]
	WORD $0x6fa60a35 // mla v21.4s, v17.4s, v6.s[3]
	// group 2: shift 4
	VUSHR $4, V0.B16, V8.B16
	VUSHR $4, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f870214 // mla v20.4s, v16.4s, v7.s[0]
	WORD $0x6fa70235 // mla v21.4s, v17.4s, v7.s[1]
	// group 3: shift 6
	VUSHR $6, V0.B16, V8.B16
	VUSHR $6, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f870a14 // mla v20.4s, v16.4s, v7.s[2]
	WORD $0x6fa70a35 // mla v21.4s, v17.4s, v7.s[3]
	// half 1
	VLD1.P 32(R1), [V0.B16, V1.B16]	// qs
	// group 0: shift 0
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f8e0214 // mla v20.4s, v16.4s, v14.s[0]
	WORD $0x6fae0235 // mla v21.4s, v17.4s, v14.s[1]
	// group 1: shift 2
	VUSHR $2, V0.B16, V8.B16
	VUSHR $2, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f8e0a14 // mla v20.4s, v16.4s, v14.s[2]
	WORD $0x6fae0a35 // mla v21.4s, v17.4s, v14.s[3]
	// group 2: shift 4
	VUSHR $4, V0.B16, V8.B16
	VUSHR $4, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f8f0214 // mla v20.4s, v16.4s, v15.s[0]
	WORD $0x6faf0235 // mla v21.4s, v17.4s, v15.s[1]
	// group 3: shift 6
	VUSHR $6, V0.B16, V8.B16
	VUSHR $6, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	WORD $0x6f8f0a14 // mla v20.4s, v16.4s, v15.s[2]
	WORD $0x6faf0a35 // mla v21.4s, v17.4s, v15.s[3]
	ADD $4, R1, R1	// past d and dmin
	VADD V21.S4, V20.S4, V20.S4
	// mins: sum over j of bsums[j]*(scales[j]>>4)
	VUSHR $4, V26.B16, V15.B16
	WORD $0x2f08a5fa // uxtl v26.8h, v15.8b
	WORD $0x6f08a5fb // uxtl2 v27.8h, v15.16b
	VLD1.P 32(R2), [V24.H8, V25.H8]	// bsums
	WORD $0x0e7ac316 // smull v22.4s, v24.4h, v26.4h
	WORD $0x4e7a8316 // smlal2 v22.4s, v24.8h, v26.8h
	WORD $0x0e7b8336 // smlal v22.4s, v25.4h, v27.4h
	WORD $0x4e7b8336 // smlal2 v22.4s, v25.8h, v27.8h
	VADDV V22.S4, V27
	WORD $0x5e21db7b // scvtf s27, s27
	VADDV V20.S4, V20
	WORD $0x5e21da94 // scvtf s20, s20
	// sum += (y.d*d)*isum - (y.d*dmin)*summs, in ggml's order
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMULS F29, F30, F30	// y.d*d
	FMULS F30, F20, F20
	LSRW $16, R4, R4
	FMOVS R4, F31
	FCVTHS F31, F31	// F31 = half in the low 16 bits of R4
	FMULS F29, F31, F31	// y.d*dmin
	FMULS F31, F27, F27
	FSUBS F27, F20, F20
	FADDS F20, F28, F28
	SUBS $1, R0, R0
	BNE block
	FMOVS F28, ret+32(FP)
	RET
