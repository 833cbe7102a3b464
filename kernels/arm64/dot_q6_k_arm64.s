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
//   R0 blocks left, R1 w, R2 act, R3 sdot (0: NEON-only path)
//   R4 the weight's F16 d (and dmin above it), R8/R9 the sub-block scales, one per byte
//   R14 scratch, R15 inner loop counter
//   V0..V15 weight quants and activation quants
//   V16, V17 int32x4 sums of one sub-block each; V20 the block's scaled int32x4 sum
//   V18, V19, V23 constants; V21, V22 broadcast scales; V24..V27 scratch
//   F28 running float32 sum; F29 the activation block's d; F30, F31 scales
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product, HWCAP asimddp) when sdot != 0.
//   R13 qh

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
	MOVD 192(R1), R8	// scales[0:8]
	MOVD 200(R1), R9	// scales[8:16]
	MOVHU 208(R1), R4	// d
	MOVWU.P 4(R2), R14
	FMOVS R14, F29	// y.d
	VEOR V20.B16, V20.B16, V20.B16
	MOVD $2, R15
half:
	VLD1.P 64(R1), [V0.B16, V1.B16, V2.B16, V3.B16]	// ql
	VLD1.P 32(R13), [V12.B16, V13.B16]	// qh
	// q[0*32+l]
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	CBZ R3, neon1
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
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
	SXTB R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	// q[1*32+l]
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	CBZ R3, neon3
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
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
	SXTB R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	// q[2*32+l]
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	CBZ R3, neon5
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
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
	SXTB R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	// q[3*32+l]
	VLD1.P 32(R2), [V4.B16, V5.B16]
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
	CBZ R3, neon7
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
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
	SXTB R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	SXTB R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	MOVD R9, R8	// second half: scales[8:16]
	SUBS $1, R15, R15
	BNE half
	ADD $82, R1, R1	// past qh, scales and d
	ADD $32, R2, R2	// past bsums (unused)
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
