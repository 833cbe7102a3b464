// Activation quantizers, byte for byte as ggml's CPU backend (and
// ggml/quant's QuantizeActivation) produce them.
//
// func quantQ8_0(nb int, x *float32, y *byte)
//	nb blocks of 32 values: amax = max|x|, d = amax/127 (stored as float16,
//	round to nearest even), q = round-half-even(x * (127/amax)) (0 when
//	amax is 0). Block: d f16 | qs [32]int8.
//
// func maxAbs256(x *float32) float32
//	the first of the 256 values x[i] with the largest |x[i]|, sign kept.
//
// func quantQ8_KBlock(x *float32, iscale float32, qs *byte)
//	q[i] = round-half-even(iscale*x[i]) (saturated to int8) for 256 values,
//	written to qs[0:256], then the 16 int16 sums of 16 q's to qs[256:288]
//	(a Q8_K block's qs and bsums; the caller writes d).
//
// ISA: AVX2, F16C.

#include "textflag.h"

// ROUND4(scale): Y0..Y3 = round-half-even(Y0..Y3 * scale) as int32, then
// packed to 32 int8 in Y0, in element order.
#define ROUND4(scale) \
	VMULPS    scale, Y0, Y0; \
	VMULPS    scale, Y1, Y1; \
	VMULPS    scale, Y2, Y2; \
	VMULPS    scale, Y3, Y3; \
	VROUNDPS  $0, Y0, Y0; \
	VROUNDPS  $0, Y1, Y1; \
	VROUNDPS  $0, Y2, Y2; \
	VROUNDPS  $0, Y3, Y3; \
	VCVTPS2DQ Y0, Y0; \
	VCVTPS2DQ Y1, Y1; \
	VCVTPS2DQ Y2, Y2; \
	VCVTPS2DQ Y3, Y3; \
	VPACKSSDW Y1, Y0, Y0; \
	VPACKSSDW Y3, Y2, Y2; \
	VPACKSSWB Y2, Y0, Y0; \
	VPERMD    Y0, Y13, Y0

// LOAD4(off): Y0..Y3 = the 32 float32 at off(SI).
#define LOAD4(off) \
	VMOVUPS off(SI), Y0; \
	VMOVUPS off+32(SI), Y1; \
	VMOVUPS off+64(SI), Y2; \
	VMOVUPS off+96(SI), Y3

// Registers (quantQ8_0):
//	CX blocks left  SI x  DI y
//	Y15 abs mask  X14 127.0  Y13 pack order  Y0..Y7 scratch
TEXT ·quantQ8_0(SB), NOSPLIT, $0-24
	MOVQ    nb+0(FP), CX
	MOVQ    x+8(FP), SI
	MOVQ    y+16(FP), DI
	VMOVDQU ·kAbsF32(SB), Y15
	VMOVSS  ·kF127(SB), X14
	VMOVDQU ·kPermQ8(SB), Y13
	TESTQ   CX, CX
	JZ      done

loop:
	LOAD4(0)
	VANDPS       Y15, Y0, Y4
	VANDPS       Y15, Y1, Y5
	VANDPS       Y15, Y2, Y6
	VANDPS       Y15, Y3, Y7
	VMAXPS       Y5, Y4, Y4
	VMAXPS       Y7, Y6, Y6
	VMAXPS       Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VMAXPS       X5, X4, X4
	VMOVHLPS     X4, X5, X5
	VMAXPS       X5, X4, X4
	VMOVSHDUP    X4, X5
	VMAXSS       X5, X4, X4     // X4 = amax
	VDIVSS       X14, X4, X5    // d = amax/127
	VCVTPS2PH    $0, X5, X5
	VMOVD        X5, AX
	MOVW         AX, (DI)
	VXORPS       X6, X6, X6
	VUCOMISS     X6, X4
	JEQ          scale          // amax == 0: scale 0
	VDIVSS       X4, X14, X6    // 127/amax

scale:
	VBROADCASTSS X6, Y6
	ROUND4(Y6)
	VMOVDQU      Y0, 2(DI)
	ADDQ         $128, SI
	ADDQ         $34, DI
	DECQ         CX
	JNZ          loop

done:
	VZEROUPPER
	RET

// Registers (maxAbs256): SI x  AX index  BX compare mask  Y15 abs mask
// Y4, Y5 maxima (then amax broadcast)  Y0..Y3 scratch
TEXT ·maxAbs256(SB), NOSPLIT, $0-12
	MOVQ    x+0(FP), SI
	VMOVDQU ·kAbsF32(SB), Y15
	VXORPS  Y4, Y4, Y4
	VXORPS  Y5, Y5, Y5
	XORQ    AX, AX

amloop:
	VANDPS  (SI)(AX*4), Y15, Y0
	VANDPS  32(SI)(AX*4), Y15, Y1
	VANDPS  64(SI)(AX*4), Y15, Y2
	VANDPS  96(SI)(AX*4), Y15, Y3
	VMAXPS  Y0, Y4, Y4
	VMAXPS  Y1, Y5, Y5
	VMAXPS  Y2, Y4, Y4
	VMAXPS  Y3, Y5, Y5
	ADDQ    $32, AX
	CMPQ    AX, $256
	JLT     amloop

	VMAXPS       Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VMAXPS       X5, X4, X4
	VMOVHLPS     X4, X5, X5
	VMAXPS       X5, X4, X4
	VMOVSHDUP    X4, X5
	VMAXSS       X5, X4, X4
	VBROADCASTSS X4, Y4         // amax in every lane
	XORQ         AX, AX

scan:
	VANDPS    (SI)(AX*4), Y15, Y0
	VCMPPS    $0, Y4, Y0, Y0    // |x| == amax
	VMOVMSKPS Y0, BX
	TESTL     BX, BX
	JNZ       found
	ADDQ      $8, AX
	CMPQ      AX, $256
	JLT       scan
	VXORPS    X0, X0, X0        // unreachable for finite x
	JMP       out

found:
	BSFL  BX, BX
	ADDQ  BX, AX
	VMOVSS (SI)(AX*4), X0

out:
	VZEROUPPER
	MOVSS X0, ret+8(FP)
	RET

// KCHUNK(k, v): quantize values 32k..32k+31 to qs[32k:32k+32] and leave in
// v the int32 partial sums: low lane 4 partials of group 2k, high lane 4
// partials of group 2k+1.
#define KCHUNK(k, v) \
	LOAD4(128*k); \
	ROUND4(Y12); \
	VMOVDQU    Y0, 32*k(DI); \
	VPMADDUBSW Y0, Y15, v; \
	VPMADDWD   Y14, v, v

// Registers (quantQ8_KBlock):
//	SI x  DI qs  Y12 iscale  Y13 pack order  Y14 int16 ones  Y15 byte ones
//	Y0..Y3 scratch  Y4..Y11 partial sums of chunks 0..7
TEXT ·quantQ8_KBlock(SB), NOSPLIT, $0-24
	MOVQ         x+0(FP), SI
	VBROADCASTSS iscale+8(FP), Y12
	MOVQ         qs+16(FP), DI
	VMOVDQU      ·kPermQ8(SB), Y13
	VMOVDQU      ·kOnes16(SB), Y14
	VMOVDQU      ·kOnes8(SB), Y15
	KCHUNK(0, Y4)
	KCHUNK(1, Y5)
	KCHUNK(2, Y6)
	KCHUNK(3, Y7)
	KCHUNK(4, Y8)
	KCHUNK(5, Y9)
	KCHUNK(6, Y10)
	KCHUNK(7, Y11)
	// Reduce: after two rounds of VPHADDD the low lane holds groups
	// 0,2,4,6 (resp. 8..14) and the high lane groups 1,3,5,7 (9..15).
	VPHADDD      Y5, Y4, Y4
	VPHADDD      Y7, Y6, Y6
	VPHADDD      Y6, Y4, Y4
	VPHADDD      Y9, Y8, Y8
	VPHADDD      Y11, Y10, Y10
	VPHADDD      Y10, Y8, Y8
	VPACKSSDW    Y8, Y4, Y4     // low lane: even groups, high lane: odd groups
	VEXTRACTI128 $1, Y4, X5
	VPUNPCKLWD   X5, X4, X6     // groups 0..7
	VPUNPCKHWD   X5, X4, X7     // groups 8..15
	VMOVDQU      X6, 256(DI)
	VMOVDQU      X7, 272(DI)
	VZEROUPPER
	RET

// func quantQ8_1(nb int, x *float32, y *byte)
//	as quantQ8_0, plus s = float16(d * sum(q)) with the float32 d, for
//	blocks of 36 bytes: d f16 | s f16 | qs [32]int8.
//
// Registers: as quantQ8_0; Y12 byte ones, Y11 int16 ones, X8..X10 scratch.
TEXT ·quantQ8_1(SB), NOSPLIT, $0-24
	MOVQ    nb+0(FP), CX
	MOVQ    x+8(FP), SI
	MOVQ    y+16(FP), DI
	VMOVDQU ·kAbsF32(SB), Y15
	VMOVSS  ·kF127(SB), X14
	VMOVDQU ·kPermQ8(SB), Y13
	VMOVDQU ·kOnes8(SB), Y12
	VMOVDQU ·kOnes16(SB), Y11
	TESTQ   CX, CX
	JZ      q81done

q81loop:
	LOAD4(0)
	VANDPS       Y15, Y0, Y4
	VANDPS       Y15, Y1, Y5
	VANDPS       Y15, Y2, Y6
	VANDPS       Y15, Y3, Y7
	VMAXPS       Y5, Y4, Y4
	VMAXPS       Y7, Y6, Y6
	VMAXPS       Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VMAXPS       X5, X4, X4
	VMOVHLPS     X4, X5, X5
	VMAXPS       X5, X4, X4
	VMOVSHDUP    X4, X5
	VMAXSS       X5, X4, X4     // X4 = amax
	VDIVSS       X14, X4, X9    // X9 = d = amax/127 (float32, kept)
	VCVTPS2PH    $0, X9, X5
	VMOVD        X5, AX
	MOVW         AX, (DI)
	VXORPS       X6, X6, X6
	VUCOMISS     X6, X4
	JEQ          q81scale
	VDIVSS       X4, X14, X6

q81scale:
	VBROADCASTSS X6, Y6
	ROUND4(Y6)
	VMOVDQU      Y0, 4(DI)
	// s = d * sum(q)
	VPMADDUBSW   Y0, Y12, Y0    // pair sums (ones unsigned x q signed)
	VPMADDWD     Y11, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0x4e, X0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0xb1, X0, X1
	VPADDD       X1, X0, X0
	VCVTDQ2PS    X0, X0
	VMULSS       X0, X9, X0
	VCVTPS2PH    $0, X0, X0
	VMOVD        X0, AX
	MOVW         AX, 2(DI)
	ADDQ         $128, SI
	ADDQ         $36, DI
	DECQ         CX
	JNZ          q81loop

q81done:
	VZEROUPPER
	RET

// func toF16(n int, x *float32, y *byte)
//	y[i] = binary16(x[i]), round to nearest even, n a multiple of 8.
TEXT ·toF16(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	SHRQ $3, CX
	JZ   f16done

f16loop:
	VMOVUPS   (SI), Y0
	VCVTPS2PH $0, Y0, X0
	VMOVDQU   X0, (DI)
	ADDQ      $32, SI
	ADDQ      $16, DI
	DECQ      CX
	JNZ       f16loop

f16done:
	VZEROUPPER
	RET

// func toBF16(n int, x *float32, y *byte)
//	y[i] = bfloat16(x[i]), round to nearest even; a NaN becomes its top
//	16 bits with the quiet bit (0x40) set. n a multiple of 8.
//
// Registers: Y10 0x7fff, Y11 int32 ones, Y12 0x7fffffff, Y13 0x7f800000,
// Y14 0x40, Y0..Y4 scratch.
TEXT ·toBF16(SB), NOSPLIT, $0-24
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	VMOVDQU      ·kAbsF32(SB), Y12
	VPCMPEQD     Y11, Y11, Y11
	VPSRLD       $31, Y11, Y11        // 1
	VPSRLD       $17, Y12, Y10        // 0x3fff
	VPSLLD       $1, Y10, Y10
	VPOR         Y11, Y10, Y10        // 0x7fff
	VPSLLD       $23, Y11, Y13
	VPSUBD       Y13, Y12, Y13        // 0x7fffffff - 0x00800000 = 0x7f7fffff
	VPADDD       Y11, Y13, Y13        // 0x7f800000
	VPSLLD       $6, Y11, Y14         // 0x40
	SHRQ         $3, CX
	JZ           bfdone

bfloop:
	VMOVDQU   (SI), Y0
	VPSRLD    $16, Y0, Y1
	VPAND     Y11, Y1, Y1
	VPADDD    Y10, Y1, Y1
	VPADDD    Y0, Y1, Y1
	VPSRLD    $16, Y1, Y1             // rounded
	VPAND     Y12, Y0, Y2
	VPCMPGTD  Y13, Y2, Y2             // NaN lanes
	VPSRLD    $16, Y0, Y3
	VPOR      Y14, Y3, Y3             // quiet NaN
	VPBLENDVB Y2, Y3, Y1, Y1
	VEXTRACTI128 $1, Y1, X4
	VPACKUSDW X4, X1, X1
	VMOVDQU   X1, (DI)
	ADDQ      $32, SI
	ADDQ      $16, DI
	DECQ      CX
	JNZ       bfloop

bfdone:
	VZEROUPPER
	RET
