// func dotF16(n int, w, act *byte) float32
//
// F16 x F16: halves widened to float32 (FCVTL) and summed with FMLA in
// float32, 16 at a time in 4 accumulators, then 4, then one.
//
// Registers:
//   R0 elements left, R1 w, R2 act, R4, R5 scratch
//   V0..V15 loaded and widened values; V16..V19 float32x4 accumulators;
//   V31 zero (BF16)
// ISA: ARMv8.0 ASIMD and FP (FCVTL for F16 is base ARMv8.0).

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotF16(SB), NOSPLIT, $0-28
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
	WORD $0x0e217808 // fcvtl v8.4s, v0.4h
	WORD $0x4e217809 // fcvtl2 v9.4s, v0.8h
	WORD $0x0e21782a // fcvtl v10.4s, v1.4h
	WORD $0x4e21782b // fcvtl2 v11.4s, v1.8h
	WORD $0x0e21784c // fcvtl v12.4s, v2.4h
	WORD $0x4e21784d // fcvtl2 v13.4s, v2.8h
	WORD $0x0e21786e // fcvtl v14.4s, v3.4h
	WORD $0x4e21786f // fcvtl2 v15.4s, v3.8h
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
	WORD $0x0e217808 // fcvtl v8.4s, v0.4h
	WORD $0x0e21784c // fcvtl v12.4s, v2.4h
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
	FMOVS R4, F0
	FCVTHS F0, F0	// F0 = half in the low 16 bits of R4
	FMOVS R5, F1
	FCVTHS F1, F1	// F1 = half in the low 16 bits of R5
	FMADDS F0, F16, F1, F16	// F16 += F1*F0
	SUBS $1, R0, R0
	BNE loop1
done:
	FMOVS F16, ret+24(FP)
	RET
