// func quantQ8_0(nb int, x *float32, y *byte)
//
// Quantizes nb*32 float32 values to Q8_0 blocks as ggml's CPU backend does
// (ggml/quant's QuantizeActivation): per 32 values amax = max|x|,
// d = amax/127, q = round-half-even(x * (127/amax)) (0 when amax is 0),
// d stored as binary16.
//
// Registers:
//   R0 blocks left, R1 x, R2 y, R4..R6 scratch
//   V0..V7 the 32 values, then their quants; V8..V15 |x|
//   F8 amax, F9 d, F10 127/amax (or 0), F20 127.0; V16 the quants' sum (Q8_1)
// ISA: ARMv8.0 ASIMD and FP (FCVTNS, SQXTN, FCVT to half).

// Each WORD encodes the NEON instruction in its comment (Go's assembler has
// no mnemonic for it); `go run wordenc.go` checks them all with GNU as.

#include "textflag.h"

TEXT ·quantQ8_0(SB), NOSPLIT, $0-24
	MOVD nb+0(FP), R0
	MOVD x+8(FP), R1
	MOVD y+16(FP), R2
	MOVW $0x42fe0000, R4	// 127.0
	FMOVS R4, F20
block:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4ea0f808 // fabs v8.4s, v0.4s
	WORD $0x4ea0f829 // fabs v9.4s, v1.4s
	WORD $0x4ea0f84a // fabs v10.4s, v2.4s
	WORD $0x4ea0f86b // fabs v11.4s, v3.4s
	WORD $0x4ea0f88c // fabs v12.4s, v4.4s
	WORD $0x4ea0f8ad // fabs v13.4s, v5.4s
	WORD $0x4ea0f8ce // fabs v14.4s, v6.4s
	WORD $0x4ea0f8ef // fabs v15.4s, v7.4s
	// amax, ignoring NaNs like the reference's a > amax
	WORD $0x4e29c508 // fmaxnm v8.4s, v8.4s, v9.4s
	WORD $0x4e2bc54a // fmaxnm v10.4s, v10.4s, v11.4s
	WORD $0x4e2dc58c // fmaxnm v12.4s, v12.4s, v13.4s
	WORD $0x4e2fc5ce // fmaxnm v14.4s, v14.4s, v15.4s
	WORD $0x4e2ac508 // fmaxnm v8.4s, v8.4s, v10.4s
	WORD $0x4e2ec58c // fmaxnm v12.4s, v12.4s, v14.4s
	WORD $0x4e2cc508 // fmaxnm v8.4s, v8.4s, v12.4s
	WORD $0x6e30c908 // fmaxnmv s8, v8.4s
	FDIVS F20, F8, F9	// d = amax/127
	VEOR V10.B16, V10.B16, V10.B16	// id = 0
	FMOVS F8, R5
	CBZW R5, scale
	FDIVS F8, F20, F10	// id = 127/amax
scale:
	WORD $0x4f8a9000 // fmul v0.4s, v0.4s, v10.s[0]
	WORD $0x4f8a9021 // fmul v1.4s, v1.4s, v10.s[0]
	WORD $0x4f8a9042 // fmul v2.4s, v2.4s, v10.s[0]
	WORD $0x4f8a9063 // fmul v3.4s, v3.4s, v10.s[0]
	WORD $0x4f8a9084 // fmul v4.4s, v4.4s, v10.s[0]
	WORD $0x4f8a90a5 // fmul v5.4s, v5.4s, v10.s[0]
	WORD $0x4f8a90c6 // fmul v6.4s, v6.4s, v10.s[0]
	WORD $0x4f8a90e7 // fmul v7.4s, v7.4s, v10.s[0]
	WORD $0x4e21a800 // fcvtns v0.4s, v0.4s
	WORD $0x4e21a821 // fcvtns v1.4s, v1.4s
	WORD $0x4e21a842 // fcvtns v2.4s, v2.4s
	WORD $0x4e21a863 // fcvtns v3.4s, v3.4s
	WORD $0x4e21a884 // fcvtns v4.4s, v4.4s
	WORD $0x4e21a8a5 // fcvtns v5.4s, v5.4s
	WORD $0x4e21a8c6 // fcvtns v6.4s, v6.4s
	WORD $0x4e21a8e7 // fcvtns v7.4s, v7.4s
	WORD $0x0e614800 // sqxtn v0.4h, v0.4s
	WORD $0x4e614820 // sqxtn2 v0.8h, v1.4s
	WORD $0x0e614842 // sqxtn v2.4h, v2.4s
	WORD $0x4e614862 // sqxtn2 v2.8h, v3.4s
	WORD $0x0e614884 // sqxtn v4.4h, v4.4s
	WORD $0x4e6148a4 // sqxtn2 v4.8h, v5.4s
	WORD $0x0e6148c6 // sqxtn v6.4h, v6.4s
	WORD $0x4e6148e6 // sqxtn2 v6.8h, v7.4s
	WORD $0x0e214800 // sqxtn v0.8b, v0.8h
	WORD $0x4e214840 // sqxtn2 v0.16b, v2.8h
	WORD $0x0e214881 // sqxtn v1.8b, v4.8h
	WORD $0x4e2148c1 // sqxtn2 v1.16b, v6.8h
	FCVTSH F9, F9	// d as binary16, rounded to nearest even
	FMOVS F9, R5
	MOVH.P R5, 2(R2)
	VST1.P [V0.B16, V1.B16], 32(R2)
	SUBS $1, R0, R0
	BNE block
	RET

// func quantQ8_1(nb int, x *float32, y *byte)
//
// Quantizes nb*32 float32 values to Q8_1 blocks as ggml's CPU backend does
// (ggml/quant's QuantizeActivation): per 32 values amax = max|x|,
// d = amax/127, q = round-half-even(x * (127/amax)) (0 when amax is 0),
// d stored as binary16, then s = d*sum(q) (with the float32 d) as binary16.
//
// Registers:
//   R0 blocks left, R1 x, R2 y, R4..R6 scratch
//   V0..V7 the 32 values, then their quants; V8..V15 |x|
//   F8 amax, F9 d, F10 127/amax (or 0), F20 127.0; V16 the quants' sum (Q8_1)
// ISA: ARMv8.0 ASIMD and FP (FCVTNS, SQXTN, FCVT to half).

TEXT ·quantQ8_1(SB), NOSPLIT, $0-24
	MOVD nb+0(FP), R0
	MOVD x+8(FP), R1
	MOVD y+16(FP), R2
	MOVW $0x42fe0000, R4	// 127.0
	FMOVS R4, F20
block:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4ea0f808 // fabs v8.4s, v0.4s
	WORD $0x4ea0f829 // fabs v9.4s, v1.4s
	WORD $0x4ea0f84a // fabs v10.4s, v2.4s
	WORD $0x4ea0f86b // fabs v11.4s, v3.4s
	WORD $0x4ea0f88c // fabs v12.4s, v4.4s
	WORD $0x4ea0f8ad // fabs v13.4s, v5.4s
	WORD $0x4ea0f8ce // fabs v14.4s, v6.4s
	WORD $0x4ea0f8ef // fabs v15.4s, v7.4s
	// amax, ignoring NaNs like the reference's a > amax
	WORD $0x4e29c508 // fmaxnm v8.4s, v8.4s, v9.4s
	WORD $0x4e2bc54a // fmaxnm v10.4s, v10.4s, v11.4s
	WORD $0x4e2dc58c // fmaxnm v12.4s, v12.4s, v13.4s
	WORD $0x4e2fc5ce // fmaxnm v14.4s, v14.4s, v15.4s
	WORD $0x4e2ac508 // fmaxnm v8.4s, v8.4s, v10.4s
	WORD $0x4e2ec58c // fmaxnm v12.4s, v12.4s, v14.4s
	WORD $0x4e2cc508 // fmaxnm v8.4s, v8.4s, v12.4s
	WORD $0x6e30c908 // fmaxnmv s8, v8.4s
	FDIVS F20, F8, F9	// d = amax/127
	VEOR V10.B16, V10.B16, V10.B16	// id = 0
	FMOVS F8, R5
	CBZW R5, scale
	FDIVS F8, F20, F10	// id = 127/amax
scale:
	WORD $0x4f8a9000 // fmul v0.4s, v0.4s, v10.s[0]
	WORD $0x4f8a9021 // fmul v1.4s, v1.4s, v10.s[0]
	WORD $0x4f8a9042 // fmul v2.4s, v2.4s, v10.s[0]
	WORD $0x4f8a9063 // fmul v3.4s, v3.4s, v10.s[0]
	WORD $0x4f8a9084 // fmul v4.4s, v4.4s, v10.s[0]
	WORD $0x4f8a90a5 // fmul v5.4s, v5.4s, v10.s[0]
	WORD $0x4f8a90c6 // fmul v6.4s, v6.4s, v10.s[0]
	WORD $0x4f8a90e7 // fmul v7.4s, v7.4s, v10.s[0]
	WORD $0x4e21a800 // fcvtns v0.4s, v0.4s
	WORD $0x4e21a821 // fcvtns v1.4s, v1.4s
	WORD $0x4e21a842 // fcvtns v2.4s, v2.4s
	WORD $0x4e21a863 // fcvtns v3.4s, v3.4s
	WORD $0x4e21a884 // fcvtns v4.4s, v4.4s
	WORD $0x4e21a8a5 // fcvtns v5.4s, v5.4s
	WORD $0x4e21a8c6 // fcvtns v6.4s, v6.4s
	WORD $0x4e21a8e7 // fcvtns v7.4s, v7.4s
	WORD $0x0e614800 // sqxtn v0.4h, v0.4s
	WORD $0x4e614820 // sqxtn2 v0.8h, v1.4s
	WORD $0x0e614842 // sqxtn v2.4h, v2.4s
	WORD $0x4e614862 // sqxtn2 v2.8h, v3.4s
	WORD $0x0e614884 // sqxtn v4.4h, v4.4s
	WORD $0x4e6148a4 // sqxtn2 v4.8h, v5.4s
	WORD $0x0e6148c6 // sqxtn v6.4h, v6.4s
	WORD $0x4e6148e6 // sqxtn2 v6.8h, v7.4s
	WORD $0x0e214800 // sqxtn v0.8b, v0.8h
	WORD $0x4e214840 // sqxtn2 v0.16b, v2.8h
	WORD $0x0e214881 // sqxtn v1.8b, v4.8h
	WORD $0x4e2148c1 // sqxtn2 v1.16b, v6.8h
	WORD $0x4e202810 // saddlp v16.8h, v0.16b
	WORD $0x4e206830 // sadalp v16.8h, v1.16b
	WORD $0x4e703a10 // saddlv s16, v16.8h
	WORD $0x5e21da10 // scvtf s16, s16
	FMULS F9, F16, F16	// d*sum(q)
	FCVTSH F16, F16
	FMOVS F16, R6
	FCVTSH F9, F9	// d as binary16, rounded to nearest even
	FMOVS F9, R5
	MOVH.P R5, 2(R2)
	MOVH.P R6, 2(R2)
	VST1.P [V0.B16, V1.B16], 32(R2)
	SUBS $1, R0, R0
	BNE block
	RET

// func maxAbs256(x *float32) float32
//
// Returns the first of x[0:256] with the largest magnitude, sign kept, or 0
// when all are zero (NaNs are ignored), as quantize_row_q8_K_ref picks max.
//
// Registers:
//   R1 pass-1 pointer, R2 pass-2 pointer, R3 counter, R4, R5 scratch
//   V0..V7 values, V16..V19 running max |x|, V17 amax in every lane (pass 2)
//   F16 amax; F0, F1 scratch
// ISA: ARMv8.0 ASIMD and FP.

TEXT ·maxAbs256(SB), NOSPLIT, $0-12
	MOVD x+0(FP), R1
	MOVD R1, R2
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	MOVD $8, R3
pass1:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4ea0f800 // fabs v0.4s, v0.4s
	WORD $0x4ea0f821 // fabs v1.4s, v1.4s
	WORD $0x4ea0f842 // fabs v2.4s, v2.4s
	WORD $0x4ea0f863 // fabs v3.4s, v3.4s
	WORD $0x4ea0f884 // fabs v4.4s, v4.4s
	WORD $0x4ea0f8a5 // fabs v5.4s, v5.4s
	WORD $0x4ea0f8c6 // fabs v6.4s, v6.4s
	WORD $0x4ea0f8e7 // fabs v7.4s, v7.4s
	WORD $0x4e20c610 // fmaxnm v16.4s, v16.4s, v0.4s
	WORD $0x4e21c631 // fmaxnm v17.4s, v17.4s, v1.4s
	WORD $0x4e22c652 // fmaxnm v18.4s, v18.4s, v2.4s
	WORD $0x4e23c673 // fmaxnm v19.4s, v19.4s, v3.4s
	WORD $0x4e24c610 // fmaxnm v16.4s, v16.4s, v4.4s
	WORD $0x4e25c631 // fmaxnm v17.4s, v17.4s, v5.4s
	WORD $0x4e26c652 // fmaxnm v18.4s, v18.4s, v6.4s
	WORD $0x4e27c673 // fmaxnm v19.4s, v19.4s, v7.4s
	SUBS $1, R3, R3
	BNE pass1
	WORD $0x4e31c610 // fmaxnm v16.4s, v16.4s, v17.4s
	WORD $0x4e33c652 // fmaxnm v18.4s, v18.4s, v19.4s
	WORD $0x4e32c610 // fmaxnm v16.4s, v16.4s, v18.4s
	WORD $0x6e30ca10 // fmaxnmv s16, v16.4s
	FMOVS F16, R4
	CBZW R4, zero
	WORD $0x4e040611 // dup v17.4s, v16.s[0]
	MOVD $16, R3
pass2:
	// 16 values at a time: is amax among them?
	VLD1.P 64(R2), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x4ea0f804 // fabs v4.4s, v0.4s
	WORD $0x4e31e484 // fcmeq v4.4s, v4.4s, v17.4s
	WORD $0x4ea0f825 // fabs v5.4s, v1.4s
	WORD $0x4e31e4a5 // fcmeq v5.4s, v5.4s, v17.4s
	WORD $0x4ea0f846 // fabs v6.4s, v2.4s
	WORD $0x4e31e4c6 // fcmeq v6.4s, v6.4s, v17.4s
	WORD $0x4ea0f867 // fabs v7.4s, v3.4s
	WORD $0x4e31e4e7 // fcmeq v7.4s, v7.4s, v17.4s
	VORR V4.B16, V5.B16, V4.B16
	VORR V6.B16, V7.B16, V6.B16
	VORR V4.B16, V6.B16, V4.B16
	WORD $0x6eb0a884 // umaxv s4, v4.4s
	FMOVS F4, R5
	CBNZW R5, found
	SUBS $1, R3, R3
	BNE pass2
	FMOVS F16, ret+8(FP)	// not reached: amax is one of the values
	RET
found:
	SUB $64, R2, R2
	MOVD $16, R3
scan:
	FMOVS.P 4(R2), F0
	FABSS F0, F1
	FCMPS F16, F1
	BEQ hit
	SUBS $1, R3, R3
	BNE scan
	FMOVS F16, ret+8(FP)	// not reached
	RET
hit:
	FMOVS F0, ret+8(FP)
	RET
zero:
	FMOVS F16, ret+8(FP)
	RET

// func quantQ8_KBlock(x *float32, iscale float32, y *byte)
//
// Writes the 256 quants q = min(127, round-half-even(iscale*x)) of one Q8_K
// block to y[0:256] and the 16 sums of 16 quants (int16) to y[256:288].
//
// Registers:
//   R1 x, R2 quants, R3 bsums, R4 counter, R5 scratch
//   V0..V7 32 values, then their quants; V8, V9 sums; F20 iscale
// ISA: ARMv8.0 ASIMD and FP.

TEXT ·quantQ8_KBlock(SB), NOSPLIT, $0-24
	MOVD x+0(FP), R1
	FMOVS iscale+8(FP), F20
	MOVD y+16(FP), R2
	ADD $256, R2, R3	// bsums
	MOVD $8, R4
loop:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4f949000 // fmul v0.4s, v0.4s, v20.s[0]
	WORD $0x4f949021 // fmul v1.4s, v1.4s, v20.s[0]
	WORD $0x4f949042 // fmul v2.4s, v2.4s, v20.s[0]
	WORD $0x4f949063 // fmul v3.4s, v3.4s, v20.s[0]
	WORD $0x4f949084 // fmul v4.4s, v4.4s, v20.s[0]
	WORD $0x4f9490a5 // fmul v5.4s, v5.4s, v20.s[0]
	WORD $0x4f9490c6 // fmul v6.4s, v6.4s, v20.s[0]
	WORD $0x4f9490e7 // fmul v7.4s, v7.4s, v20.s[0]
	WORD $0x4e21a800 // fcvtns v0.4s, v0.4s
	WORD $0x4e21a821 // fcvtns v1.4s, v1.4s
	WORD $0x4e21a842 // fcvtns v2.4s, v2.4s
	WORD $0x4e21a863 // fcvtns v3.4s, v3.4s
	WORD $0x4e21a884 // fcvtns v4.4s, v4.4s
	WORD $0x4e21a8a5 // fcvtns v5.4s, v5.4s
	WORD $0x4e21a8c6 // fcvtns v6.4s, v6.4s
	WORD $0x4e21a8e7 // fcvtns v7.4s, v7.4s
	WORD $0x0e614800 // sqxtn v0.4h, v0.4s
	WORD $0x4e614820 // sqxtn2 v0.8h, v1.4s
	WORD $0x0e614842 // sqxtn v2.4h, v2.4s
	WORD $0x4e614862 // sqxtn2 v2.8h, v3.4s
	WORD $0x0e614884 // sqxtn v4.4h, v4.4s
	WORD $0x4e6148a4 // sqxtn2 v4.8h, v5.4s
	WORD $0x0e6148c6 // sqxtn v6.4h, v6.4s
	WORD $0x4e6148e6 // sqxtn2 v6.8h, v7.4s
	WORD $0x0e214800 // sqxtn v0.8b, v0.8h
	// SQXTN saturates: min(127, q)
	WORD $0x4e214840 // sqxtn2 v0.16b, v2.8h
	WORD $0x0e214881 // sqxtn v1.8b, v4.8h
	WORD $0x4e2148c1 // sqxtn2 v1.16b, v6.8h
	VST1.P [V0.B16, V1.B16], 32(R2)
	WORD $0x4e303808 // saddlv h8, v0.16b
	WORD $0x4e303829 // saddlv h9, v1.16b
	VMOV V8.H[0], R5
	MOVH.P R5, 2(R3)
	VMOV V9.H[0], R5
	MOVH.P R5, 2(R3)
	SUBS $1, R4, R4
	BNE loop
	RET

