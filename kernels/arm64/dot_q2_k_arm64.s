// func dotQ2_K(nb int, w, act *byte, sdot bool) float32
//
// Q2_K x Q8_K. A weight block is scales[16], qs[64], d f16, dmin f16:
// 16 sub-blocks of 16, each with a 4-bit scale (low nibble) and 4-bit min
// (high nibble). Half h (0, 1) uses qs[32h:32h+32]; its group g (0..3) is
// q[128h+32g+l] = qs[32h+l]>>2g & 3, l in 0..31.
// result = sum over blocks of d*y.d*sum(sc[j]*q.y) - dmin*y.d*sum(m[j]*bsums[j])
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
//   V14 the scales bytes

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
block:
	VLD1.P 16(R1), [V14.B16]	// scales
	VMOV V14.D[0], R8
	VMOV V14.D[1], R9
	MOVWU 64(R1), R4	// d | dmin<<16
	MOVWU.P 4(R2), R14
	FMOVS R14, F29	// y.d
	VEOR V20.B16, V20.B16, V20.B16
	MOVD $2, R15
half:
	VLD1.P 32(R1), [V0.B16, V1.B16]	// qs
	// group 0: shift 0
	VLD1.P 32(R2), [V4.B16, V5.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
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
	AND $0x0f, R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	AND $0x0f, R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	// group 1: shift 2
	VLD1.P 32(R2), [V4.B16, V5.B16]
	VUSHR $2, V0.B16, V8.B16
	VUSHR $2, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
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
	AND $0x0f, R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	AND $0x0f, R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	// group 2: shift 4
	VLD1.P 32(R2), [V4.B16, V5.B16]
	VUSHR $4, V0.B16, V8.B16
	VUSHR $4, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
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
	AND $0x0f, R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	AND $0x0f, R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	// group 3: shift 6
	VLD1.P 32(R2), [V4.B16, V5.B16]
	VUSHR $6, V0.B16, V8.B16
	VUSHR $6, V1.B16, V9.B16
	VAND V19.B16, V8.B16, V8.B16
	VAND V19.B16, V9.B16, V9.B16
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
	AND $0x0f, R8, R14
	VDUP R14, V21.S4
	WORD $0x4eb59614 // mla v20.4s, v16.4s, v21.4s
	LSR $8, R8, R8
	AND $0x0f, R8, R14
	VDUP R14, V22.S4
	WORD $0x4eb69634 // mla v20.4s, v17.4s, v22.4s
	LSR $8, R8, R8
	MOVD R9, R8	// second half: scales[8:16]
	SUBS $1, R15, R15
	BNE half
	ADD $4, R1, R1	// past d and dmin
	// mins: sum over j of bsums[j]*(scales[j]>>4)
	VUSHR $4, V14.B16, V15.B16
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
