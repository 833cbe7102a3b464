// Vector e**x for softmax and SwiGLU, 8 float32 lanes at a time.
//
// func expSubSum(n int, x *float32, max float32) float64
// func swiGLU(n int, dst, gate, up *float32)
//
// n is a multiple of 8 (the Go wrappers leave the tail to the caller).
// EXP is ggml/ops' expCore on 8 lanes: x = k*ln2 + r, e**r by Cephes'
// degree-6 polynomial, 2**k through the exponent bits; the constants are
// the same float32 values. k's rounding uses one FMA where expCore rounds
// twice, so a result can differ from expCore's in the last bit.
//
// ISA: AVX2, FMA.
//
// Registers:
//	CX  elements left   SI, DI, R8  pointers
//	Y2  reduced argument, Y3 k, Y4 float k, Y5 result, Y6 scratch
//	Y10 min x           Y11 ln2 low    Y12 ln2 high
//	Y13 128.5           Y14 log2(e)

#include "textflag.h"

DATA ·kExpLog2e+0(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA ·kExpLog2e+8(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA ·kExpLog2e+16(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA ·kExpLog2e+24(SB)/8, $0x3fb8aa3b3fb8aa3b
GLOBL ·kExpLog2e(SB), RODATA|NOPTR, $32

DATA ·kExpBias+0(SB)/8, $0x4300800043008000
DATA ·kExpBias+8(SB)/8, $0x4300800043008000
DATA ·kExpBias+16(SB)/8, $0x4300800043008000
DATA ·kExpBias+24(SB)/8, $0x4300800043008000
GLOBL ·kExpBias(SB), RODATA|NOPTR, $32

DATA ·kExpLn2Hi+0(SB)/8, $0x3f3180003f318000
DATA ·kExpLn2Hi+8(SB)/8, $0x3f3180003f318000
DATA ·kExpLn2Hi+16(SB)/8, $0x3f3180003f318000
DATA ·kExpLn2Hi+24(SB)/8, $0x3f3180003f318000
GLOBL ·kExpLn2Hi(SB), RODATA|NOPTR, $32

DATA ·kExpLn2Lo+0(SB)/8, $0xb95e8083b95e8083
DATA ·kExpLn2Lo+8(SB)/8, $0xb95e8083b95e8083
DATA ·kExpLn2Lo+16(SB)/8, $0xb95e8083b95e8083
DATA ·kExpLn2Lo+24(SB)/8, $0xb95e8083b95e8083
GLOBL ·kExpLn2Lo(SB), RODATA|NOPTR, $32

DATA ·kExpMinX+0(SB)/8, $0xc2aeac50c2aeac50
DATA ·kExpMinX+8(SB)/8, $0xc2aeac50c2aeac50
DATA ·kExpMinX+16(SB)/8, $0xc2aeac50c2aeac50
DATA ·kExpMinX+24(SB)/8, $0xc2aeac50c2aeac50
GLOBL ·kExpMinX(SB), RODATA|NOPTR, $32

DATA ·kExpMaxX+0(SB)/8, $0x42b0c0a542b0c0a5
DATA ·kExpMaxX+8(SB)/8, $0x42b0c0a542b0c0a5
DATA ·kExpMaxX+16(SB)/8, $0x42b0c0a542b0c0a5
DATA ·kExpMaxX+24(SB)/8, $0x42b0c0a542b0c0a5
GLOBL ·kExpMaxX(SB), RODATA|NOPTR, $32

DATA ·kExpC5+0(SB)/8, $0x3950696739506967
DATA ·kExpC5+8(SB)/8, $0x3950696739506967
DATA ·kExpC5+16(SB)/8, $0x3950696739506967
DATA ·kExpC5+24(SB)/8, $0x3950696739506967
GLOBL ·kExpC5(SB), RODATA|NOPTR, $32

DATA ·kExpC4+0(SB)/8, $0x3ab743ce3ab743ce
DATA ·kExpC4+8(SB)/8, $0x3ab743ce3ab743ce
DATA ·kExpC4+16(SB)/8, $0x3ab743ce3ab743ce
DATA ·kExpC4+24(SB)/8, $0x3ab743ce3ab743ce
GLOBL ·kExpC4(SB), RODATA|NOPTR, $32

DATA ·kExpC3+0(SB)/8, $0x3c0889083c088908
DATA ·kExpC3+8(SB)/8, $0x3c0889083c088908
DATA ·kExpC3+16(SB)/8, $0x3c0889083c088908
DATA ·kExpC3+24(SB)/8, $0x3c0889083c088908
GLOBL ·kExpC3(SB), RODATA|NOPTR, $32

DATA ·kExpC2+0(SB)/8, $0x3d2aa9c13d2aa9c1
DATA ·kExpC2+8(SB)/8, $0x3d2aa9c13d2aa9c1
DATA ·kExpC2+16(SB)/8, $0x3d2aa9c13d2aa9c1
DATA ·kExpC2+24(SB)/8, $0x3d2aa9c13d2aa9c1
GLOBL ·kExpC2(SB), RODATA|NOPTR, $32

DATA ·kExpC1+0(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA ·kExpC1+8(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA ·kExpC1+16(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA ·kExpC1+24(SB)/8, $0x3e2aaaaa3e2aaaaa
GLOBL ·kExpC1(SB), RODATA|NOPTR, $32

DATA ·kExpC0+0(SB)/8, $0x3f0000003f000000
DATA ·kExpC0+8(SB)/8, $0x3f0000003f000000
DATA ·kExpC0+16(SB)/8, $0x3f0000003f000000
DATA ·kExpC0+24(SB)/8, $0x3f0000003f000000
GLOBL ·kExpC0(SB), RODATA|NOPTR, $32

DATA ·kExpOne+0(SB)/8, $0x3f8000003f800000
DATA ·kExpOne+8(SB)/8, $0x3f8000003f800000
DATA ·kExpOne+16(SB)/8, $0x3f8000003f800000
DATA ·kExpOne+24(SB)/8, $0x3f8000003f800000
GLOBL ·kExpOne(SB), RODATA|NOPTR, $32

DATA ·kExpSign+0(SB)/8, $0x8000000080000000
DATA ·kExpSign+8(SB)/8, $0x8000000080000000
DATA ·kExpSign+16(SB)/8, $0x8000000080000000
DATA ·kExpSign+24(SB)/8, $0x8000000080000000
GLOBL ·kExpSign(SB), RODATA|NOPTR, $32

DATA ·kExpI127+0(SB)/8, $0x0000007f0000007f
DATA ·kExpI127+8(SB)/8, $0x0000007f0000007f
DATA ·kExpI127+16(SB)/8, $0x0000007f0000007f
DATA ·kExpI127+24(SB)/8, $0x0000007f0000007f
GLOBL ·kExpI127(SB), RODATA|NOPTR, $32

DATA ·kExpI128+0(SB)/8, $0x0000008000000080
DATA ·kExpI128+8(SB)/8, $0x0000008000000080
DATA ·kExpI128+16(SB)/8, $0x0000008000000080
DATA ·kExpI128+24(SB)/8, $0x0000008000000080
GLOBL ·kExpI128(SB), RODATA|NOPTR, $32

// EXP sets Y5 = e**Y2 for Y2 in [expMinX, expMaxX] (callers clamp);
// Y2, Y3, Y4, Y6 are clobbered.
#define EXP \
	VMOVAPS      Y13, Y3; \
	VFMADD231PS  Y14, Y2, Y3; \
	VCVTTPS2DQ   Y3, Y3; \
	VPSUBD       ·kExpI128(SB), Y3, Y3; \
	VCVTDQ2PS    Y3, Y4; \
	VFNMADD231PS Y12, Y4, Y2; \
	VFNMADD231PS Y11, Y4, Y2; \
	VMOVUPS      ·kExpC5(SB), Y5; \
	VFMADD213PS  ·kExpC4(SB), Y2, Y5; \
	VFMADD213PS  ·kExpC3(SB), Y2, Y5; \
	VFMADD213PS  ·kExpC2(SB), Y2, Y5; \
	VFMADD213PS  ·kExpC1(SB), Y2, Y5; \
	VFMADD213PS  ·kExpC0(SB), Y2, Y5; \
	VMULPS       Y2, Y2, Y6; \
	VFMADD213PS  Y2, Y6, Y5; \
	VADDPS       ·kExpOne(SB), Y5, Y5; \
	VPADDD       ·kExpI127(SB), Y3, Y3; \
	VPSLLD       $23, Y3, Y3; \
	VMULPS       Y3, Y5, Y5

#define EXPCONSTS \
	VMOVUPS ·kExpMinX(SB), Y10; \
	VMOVUPS ·kExpLn2Lo(SB), Y11; \
	VMOVUPS ·kExpLn2Hi(SB), Y12; \
	VMOVUPS ·kExpBias(SB), Y13; \
	VMOVUPS ·kExpLog2e(SB), Y14

// expSubSum: x[i] = e**(x[i]-max), 0 where x[i]-max < expMinX (or NaN);
// returns the sum of the results, in float64 (4 lanes each of two
// accumulators Y8, Y9).
TEXT ·expSubSum(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSS max+16(FP), Y15
	EXPCONSTS
	VXORPD       Y8, Y8, Y8
	VXORPD       Y9, Y9, Y9
	SHRQ         $3, CX
	JZ           sumdone

exploop:
	VMOVUPS     (SI), Y0
	VSUBPS      Y15, Y0, Y0
	VCMPPS      $0x0d, Y10, Y0, Y1
	VMAXPS      Y10, Y0, Y2
	EXP
	VANDPS      Y1, Y5, Y5
	VMOVUPS     Y5, (SI)
	VCVTPS2PD   X5, Y6
	VEXTRACTF128 $1, Y5, X7
	VCVTPS2PD   X7, Y7
	VADDPD      Y6, Y8, Y8
	VADDPD      Y7, Y9, Y9
	ADDQ        $32, SI
	DECQ        CX
	JNZ         exploop

sumdone:
	VADDPD       Y9, Y8, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPD       X9, X8, X8
	VHADDPD      X8, X8, X8
	MOVSD        X8, ret+24(FP)
	VZEROUPPER
	RET

// swiGLU: dst[i] = gate[i] / (1 + e**-gate[i]) * up[i], e**-gate taken as
// 0 below expMinX and clamped at expMaxX (the result is then
// gate*up*4.2e-39 where ggml's is -0).
TEXT ·swiGLU(SB), NOSPLIT, $0-32
	MOVQ    n+0(FP), CX
	MOVQ    dst+8(FP), DI
	MOVQ    gate+16(FP), SI
	MOVQ    up+24(FP), R8
	EXPCONSTS
	VMOVUPS ·kExpMaxX(SB), Y15
	SHRQ    $3, CX
	JZ      swidone

swiloop:
	VMOVUPS     (SI), Y0
	VXORPS      ·kExpSign(SB), Y0, Y2
	VCMPPS      $0x0d, Y10, Y2, Y1
	VMAXPS      Y10, Y2, Y2
	VMINPS      Y15, Y2, Y2
	EXP
	VANDPS      Y1, Y5, Y5
	VADDPS      ·kExpOne(SB), Y5, Y5
	VDIVPS      Y5, Y0, Y6
	VMULPS      (R8), Y6, Y6
	VMOVUPS     Y6, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, R8
	DECQ        CX
	JNZ         swiloop

swidone:
	VZEROUPPER
	RET

