// func dotF32(n int, w, act *byte) float32
//
// F32 x F32: sum of w[i]*act[i] in float32, 16 lanes (4 accumulators) at a
// time, then 4, then one.
//
// Registers:
//   R0 elements left, R1 w, R2 act, R4, R5 scratch
//   V0..V15 loaded and widened values; V16..V19 float32x4 accumulators;
//   V31 zero (BF16)
// ISA: ARMv8.0 ASIMD and FP (FCVTL for F16 is base ARMv8.0).

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·dotF32(SB), NOSPLIT, $0-28
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
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA V0.S4, V4.S4, V16.S4
	VFMLA V1.S4, V5.S4, V17.S4
	VFMLA V2.S4, V6.S4, V18.S4
	VFMLA V3.S4, V7.S4, V19.S4
	SUB $16, R0, R0
	CMP $16, R0
	BGE loop16
tail4:
	CMP $4, R0
	BLT tail1
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	VFMLA V0.S4, V4.S4, V16.S4
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
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F1
	FMADDS F0, F16, F1, F16	// F16 += F1*F0
	SUBS $1, R0, R0
	BNE loop1
done:
	FMOVS F16, ret+24(FP)
	RET
