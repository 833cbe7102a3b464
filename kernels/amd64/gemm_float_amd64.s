// Register-tiled matrix products of float weight rows (F16, F32, BF16)
// with float32 activation rows, for prompt processing: each call computes
// a 2-row x 4-token tile, so every weight vector load (and F16/BF16
// conversion) feeds four FMAs and every activation load two.
//
// func gemmF16x2x4(n int, w0, w1 *byte, x0, x1, x2, x3 *float32, out *[8]float32)
// func gemmF32x2x4(n int, w0, w1 *byte, x0, x1, x2, x3 *float32, out *[8]float32)
// func gemmBF16x2x4(n int, w0, w1 *byte, x0, x1, x2, x3 *float32, out *[8]float32)
//
// out[4*r+t] = sum over k < n of w_r[k] * x_t[k] (r < 2, t < 4), n a
// multiple of 8; w_r holds n elements of the weight type, x_t n float32.
// The accumulation order differs from the dot kernels' (one 8-lane
// accumulator per output).
//
// ISA: AVX2, FMA, F16C.
//
// Registers:
//	CX  8-element steps left   AX  byte offset into x_t   BX  byte offset into w_r
//	SI, R8  w0, w1             DI, R9, R10, R11  x0..x3   R12 out
//	Y0..Y3  row 0 x tokens 0..3     Y4..Y7  row 1 x tokens 0..3
//	Y8, Y9  the weight vectors of rows 0 and 1
//	Y10..Y13  the activation vectors of tokens 0..3 (each loaded once per
//	step: with memory operands the loads, not the FMAs, bound the loop)

#include "textflag.h"

#define LDF16(mem, y) VCVTPH2PS mem, y
#define LDF32(mem, y) VMOVUPS mem, y
#define LDBF16(mem, y) VPMOVZXWD mem, y; VPSLLD $16, y, y

// GEMM2X4(LDW, wstep): the whole kernel for weights loaded by LDW, wstep
// bytes per 8 weights.
#define GEMM2X4(LDW, wstep) \
	MOVQ   n+0(FP), CX; \
	MOVQ   w0+8(FP), SI; \
	MOVQ   w1+16(FP), R8; \
	MOVQ   x0+24(FP), DI; \
	MOVQ   x1+32(FP), R9; \
	MOVQ   x2+40(FP), R10; \
	MOVQ   x3+48(FP), R11; \
	MOVQ   out+56(FP), R12; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	XORQ   AX, AX; \
	XORQ   BX, BX; \
	SHRQ   $3, CX; \
	JZ     done; \
loop: \
	LDW((SI)(BX*1), Y8); \
	LDW((R8)(BX*1), Y9); \
	VMOVUPS (DI)(AX*1), Y10; \
	VMOVUPS (R9)(AX*1), Y11; \
	VMOVUPS (R10)(AX*1), Y12; \
	VMOVUPS (R11)(AX*1), Y13; \
	VFMADD231PS Y10, Y8, Y0; \
	VFMADD231PS Y11, Y8, Y1; \
	VFMADD231PS Y12, Y8, Y2; \
	VFMADD231PS Y13, Y8, Y3; \
	VFMADD231PS Y10, Y9, Y4; \
	VFMADD231PS Y11, Y9, Y5; \
	VFMADD231PS Y12, Y9, Y6; \
	VFMADD231PS Y13, Y9, Y7; \
	ADDQ   $32, AX; \
	ADDQ   $wstep, BX; \
	DECQ   CX; \
	JNZ    loop; \
done: \
	VHADDPS      Y1, Y0, Y0; \
	VHADDPS      Y3, Y2, Y2; \
	VHADDPS      Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS       X1, X0, X0; \
	VMOVUPS      X0, (R12); \
	VHADDPS      Y5, Y4, Y4; \
	VHADDPS      Y7, Y6, Y6; \
	VHADDPS      Y6, Y4, Y4; \
	VEXTRACTF128 $1, Y4, X5; \
	VADDPS       X5, X4, X4; \
	VMOVUPS      X4, 16(R12); \
	VZEROUPPER; \
	RET

TEXT ·gemmF16x2x4(SB), NOSPLIT, $0-64
	GEMM2X4(LDF16, 16)

TEXT ·gemmF32x2x4(SB), NOSPLIT, $0-64
	GEMM2X4(LDF32, 32)

TEXT ·gemmBF16x2x4(SB), NOSPLIT, $0-64
	GEMM2X4(LDBF16, 16)
