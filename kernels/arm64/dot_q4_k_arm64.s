// func dotQ4_K(nb int, w, act *byte, sdot bool) float32
//
// Q4_K x Q8_K. A weight block is d f16, dmin f16, scales[12], qs[128]:
// 8 sub-blocks of 32 with 6-bit scales and mins; chunk c (0..3) holds
// sub-block 2c in the low nibbles of qs[32c:32c+32] and 2c+1 in the high
// nibbles. The activation block is d f32, qs[256] int8, bsums[16] int16.
// result = sum over blocks of d*y.d*sum(sc[j]*q.y) - dmin*y.d*sum(m[j]*bsums)
//
// Registers:
//   R0 blocks left, R1 w, R2 act, R3 sdot (0: NEON-only path)
//   R4 the weight's F16 d (and dmin above it), R8/R9 the sub-block scales, one per byte
//   R14 scratch, R15 inner loop counter
//   V0..V15 weight quants and activation quants
//   V16, V17 int32x4 sums of one sub-block each; V20 (and V21) the block's
//   scaled int32x4 sums; V21..V23 scales; V18, V19, V23 constants; V24..V27 scratch
//   F28 running float32 sum; F29 the activation block's d; F30, F31 scales
// ISA: ARMv8.0 ASIMD; SDOT (ARMv8.2 dot product, HWCAP asimddp) when sdot != 0.

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotQ4_K(SB), NOSPLIT, $0-36
	MOVD nb+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	MOVBU sdot+24(FP), R3
	VEOR V28.B16, V28.B16, V28.B16	// F28 = 0: the running float32 sum
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
	MOVWU.P 4(R2), R14
	FMOVS R14, F29	// y.d
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	// the eight scales as int32 lanes: V22 = sc[0..3], V23 = sc[4..7]
	VMOV R8, V22.D[0]
	WORD $0x2f08a6d6 // uxtl v22.8h, v22.8b
	WORD $0x6f10a6d7 // uxtl2 v23.4s, v22.8h
	WORD $0x2f10a6d6 // uxtl v22.4s, v22.4h
	// chunk 0: sub-blocks 0 (low nibbles) and 1 (high)
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VLD1.P 64(R2), [V4.B16, V5.B16, V6.B16, V7.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
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
	WORD $0x6f960214 // mla v20.4s, v16.4s, v22.s[0]
	WORD $0x6fb60235 // mla v21.4s, v17.4s, v22.s[1]
	// chunk 1: sub-blocks 2 (low nibbles) and 3 (high)
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VLD1.P 64(R2), [V4.B16, V5.B16, V6.B16, V7.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
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
	WORD $0x6f960a14 // mla v20.4s, v16.4s, v22.s[2]
	WORD $0x6fb60a35 // mla v21.4s, v17.4s, v22.s[3]
	// chunk 2: sub-blocks 4 (low nibbles) and 5 (high)
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VLD1.P 64(R2), [V4.B16, V5.B16, V6.B16, V7.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
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
	WORD $0x6f970214 // mla v20.4s, v16.4s, v23.s[0]
	WORD $0x6fb70235 // mla v21.4s, v17.4s, v23.s[1]
	// chunk 3: sub-blocks 6 (low nibbles) and 7 (high)
	VLD1.P 32(R1), [V0.B16, V1.B16]
	VLD1.P 64(R2), [V4.B16, V5.B16, V6.B16, V7.B16]
	VAND V19.B16, V0.B16, V8.B16
	VAND V19.B16, V1.B16, V9.B16
	VUSHR $4, V0.B16, V10.B16
	VUSHR $4, V1.B16, V11.B16
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
	WORD $0x6f970a14 // mla v20.4s, v16.4s, v23.s[2]
	WORD $0x6fb70a35 // mla v21.4s, v17.4s, v23.s[3]
	VADD V21.S4, V20.S4, V20.S4	// even and odd sub-blocks' sums
	// mins: sum over j of bsums[2j]+bsums[2j+1] times m[j]
	VLD1.P 32(R2), [V24.H8, V25.H8]	// bsums
	VMOV R11, V26.D[0]
	WORD $0x2f08a75a // uxtl v26.8h, v26.8b
	WORD $0x4e79bf18 // addp v24.8h, v24.8h, v25.8h
	WORD $0x0e7ac31b // smull v27.4s, v24.4h, v26.4h
	WORD $0x4e7a831b // smlal2 v27.4s, v24.8h, v26.8h
	VADDV V20.S4, V20
	WORD $0x5e21da94 // scvtf s20, s20
	FMOVS R4, F30
	FCVTHS F30, F30	// F30 = half in the low 16 bits of R4
	FMULS F29, F30, F30	// d*y.d
	FMULS F30, F20, F20
	FADDS F20, F28, F28
	VADDV V27.S4, V27
	WORD $0x5e21db7b // scvtf s27, s27
	LSRW $16, R4, R4
	FMOVS R4, F31
	FCVTHS F31, F31	// F31 = half in the low 16 bits of R4
	FMULS F29, F31, F31	// dmin*y.d
	FMULS F31, F27, F27
	FSUBS F27, F28, F28
	SUBS $1, R0, R0
	BNE block
	FMOVS F28, ret+32(FP)
	RET
