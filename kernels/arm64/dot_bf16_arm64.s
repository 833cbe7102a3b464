// func dotBF16(n int, w, act *byte) float32
//
// BF16 x BF16: bfloat16 widened to float32 (zip with zero: x<<16) and summed
// with FMLA in float32, 16 at a time in 4 accumulators, then 4, then one.
//
// Registers:
//   R0 elements left, R1 w, R2 act, R4, R5 scratch
//   V0..V15 loaded and widened values; V16..V19 float32x4 accumulators;
//   V31 zero (BF16)
// ISA: ARMv8.0 ASIMD and FP (FCVTL for F16 is base ARMv8.0).

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotBF16(SB), NOSPLIT, $0-28
	MOVD n+0(FP), R0
	MOVD w+8(FP), R1
	MOVD act+16(FP), R2
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V31.B16, V31.B16, V31.B16
	CMP $16, R0
	BLT tail4
loop16:
	VLD1.P 32(R1), [V0.H8, V1.H8]
	VLD1.P 32(R2), [V2.H8, V3.H8]
	WORD $0x4e403be8 // zip1 v8.8h, v31.8h, v0.8h
	WORD $0x4e407be9 // zip2 v9.8h, v31.8h, v0.8h
	WORD $0x4e413bea // zip1 v10.8h, v31.8h, v1.8h
	WORD $0x4e417beb // zip2 v11.8h, v31.8h, v1.8h
	WORD $0x4e423bec // zip1 v12.8h, v31.8h, v2.8h
	WORD $0x4e427bed // zip2 v13.8h, v31.8h, v2.8h
	WORD $0x4e433bee // zip1 v14.8h, v31.8h, v3.8h
	WORD $0x4e437bef // zip2 v15.8h, v31.8h, v3.8h
	VFMLA V8.S4, V12.S4, V16.S4
	VFMLA V9.S4, V13.S4, V17.S4
	VFMLA V10.S4, V14.S4, V18.S4
	VFMLA V11.S4, V15.S4, V19.S4
	SUB $16, R0, R0
	CMP $16, R0
	BGE loop16
tail4:
	CMP $4, R0
	BLT tail1
	VLD1.P 8(R1), [V0.H4]
	VLD1.P 8(R2), [V2.H4]
	WORD $0x4e403be8 // zip1 v8.8h, v31.8h, v0.8h
	WORD $0x4e423bec // zip1 v12.8h, v31.8h, v2.8h
	VFMLA V8.S4, V12.S4, V16.S4
	SUB $4, R0, R0
	B tail4
tail1:
	WORD $0x4e31d610 // fadd v16.4s, v16.4s, v17.4s
	WORD $0x4e33d652 // fadd v18.4s, v18.4s, v19.4s
	WORD $0x4e32d610 // fadd v16.4s, v16.4s, v18.4s
	WORD $0x6e30d610 // faddp v16.4s, v16.4s, v16.4s
	WORD $0x7e30da10 // faddp s16, v16.2s
	CBZ R0, done
loop1:
	MOVHU.P 2(R1), R4
	MOVHU.P 2(R2), R5
	LSLW $16, R4, R4
	LSLW $16, R5, R5
	FMOVS R4, F0
	FMOVS R5, F1
	FMADDS F0, F16, F1, F16	// F16 += F1*F0
	SUBS $1, R0, R0
	BNE loop1
done:
	FMOVS F16, ret+24(FP)
	RET
