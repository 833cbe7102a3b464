// func dotQ6_K(nb int, w, act *byte, sdot bool) float32
//
// Q6_K x Q8_K. A weight block is ql[128], qh[64], scales[16] int8, d f16:
// 16 sub-blocks of 16. Half h (0, 1) uses ql[64h:64h+64], qh[32h:32h+32] and
// scales[8h:8h+8]; with L = ql[64h:], H = qh[32h:], for l in 0..31:
//   q[l]    = L[l]&15    | (H[l]&3)<<4      - 32
//   q[l+32] = L[l+32]&15 | (H[l]>>2&3)<<4   - 32
//   q[l+64] = L[l]>>4    | (H[l]>>4&3)<<4   - 32
//   q[l+96] = L[l+32]>>4 | (H[l]>>6&3)<<4   - 32
// result = sum over blocks of d*y.d*sum(scales[j]*q.y over sub-block j)
//
// Registers:
//   R0 blocks left, R1 w, R2 act, R3 sdot (0: NEON-only path), R4 d (| dmin<<16)
//   V8, V9 the weight quants of two sub-blocks; V4, V5 their activations
//   V16, V17 their int32x4 sums; V20, V21 the block's scaled sums (even and
//   odd sub-blocks); V6, V7, V14, V15 the 16 scales as int32 lanes
//   V24, V25 scratch (NEON-only path); F28 running float32 sum; F29 y.d
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product, HWCAP asimddp) when sdot != 0.
//   R13 qh; V0..V3 ql, V12, V13 qh; V10, V11 scratch; V18 3, V19 0x0f, V23 32

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotQ6_K(SB), NOSPLIT, $0-36
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	MOVBU sdot+24(FP), R3
	VEOR V28.B16, V28.B16, V28.B16	// F28 = 0: the running float32 sum
	VMOVI $15, V19.B16
	VMOVI $3, V18.B16
	VMOVI $32, V23.B16
block:
	ADD $128, R1, R13	// qh
	FMOVQ 192(R1), F26	// scales
	MOVHU 208(R1), R4	// d
	WORD $0x4f08a74f // sxtl2 v15.8h, v26.16b
	WORD $0x0f08a746 // sxtl v6.8h, v26.8b
	WORD $0x0f10a5ee // sxtl v14.4s, v15.4h
	WORD $0x4f10a5ef // sxtl2 v15.4s, v15.8h
	WORD $0x4f10a4c7 // sxtl2 v7.4s, v6.8h
	WORD $0x0f10a4c6 // sxtl v6.4s, v6.4h
	MOVWU.P 4(R2), R14
	FMOVS R14, F29	// y.d
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	// half 0
	VLD1.P 64(R1), [V0.B16, V1.B16, V2.B16, V3.B16]	// ql
	VLD1.P 32(R13), [V12.B16, V13.B16]	// qh
	// q[0+l]
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
	// q[32+l]
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
	// q[64+l]
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
	// q[96+l]
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
	VLD1.P 64(R1), [V0.B16, V1.B16, V2.B16, V3.B16]	// ql
	VLD1.P 32(R13), [V12.B16, V13.B16]	// qh
	// q[128+l]
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
	// q[160+l]
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
	// q[192+l]
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
	// q[224+l]
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
	ADD $82, R1, R1	// past qh, scales and d
	ADD $32, R2, R2	// past bsums (unused)
	VADD V21.S4, V20.S4, V20.S4
	VADDV V20.S4, V20
	WORD $0x5e21da94 // scvtf s20, s20
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMULS F29, F30, F30	// d*y.d
	FMULS F30, F20, F20
	FADDS F20, F28, F28
	SUBS $1, R0, R0
	BNE block
	FMOVS F28, ret+32(FP)
	RET
