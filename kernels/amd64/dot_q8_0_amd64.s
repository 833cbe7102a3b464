// func dotQ8_0(nb int, w, a *byte, rows int, out *float32)
//
// Dot products of rows consecutive weight rows, each nb Q8_0 blocks, with
// one row of nb Q8_0 activation blocks; out[i] = row i's result.
// Block (34 bytes): d float16 | qs [32]int8. Result:
// sum over blocks of f16(w.d)*f16(a.d)*sum(w.qs[i]*a.qs[i]).
// Assumes qs in [-127, 127] (true of every ggml Q8_0 quantizer), so the
// VPABSB/VPSIGNB/VPMADDUBSW pair sums cannot saturate.
//
// ISA: AVX2, FMA, F16C; dotQ8_0VNNI (same arguments, bit-identical results)
// also needs AVX512F, AVX512VL and AVX512_VNNI.
//
// Registers:
//	R11..R13 row loop (ROWSPROLOGUE etc. in macros_amd64.h): rows left, out, a
//	CX  blocks left          SI  w block        DI  a block
//	Y0  float acc (even)     Y1  float acc (odd)
//	Y2..Y7 scratch           Y15 int16 ones

#include "textflag.h"
#include "macros_amd64.h"

// Q8BLOCK(off, acc, DOT): acc += d_w*d_a * sum(w.qs*a.qs) for the block at off.
#define Q8BLOCK(off, acc, DOT) \
	VMOVDQU    off+2(SI), Y2; \
	VMOVDQU    off+2(DI), Y3; \
	VPSIGNB    Y2, Y3, Y3; \
	VPABSB     Y2, Y2; \
	DOT(Y3, Y2, Y6); \
	VCVTDQ2PS  Y6, Y2; \
	F16BCAST(off(SI), X4, Y4); \
	F16BCAST(off(DI), X5, Y5); \
	VMULPS     Y5, Y4, Y4; \
	VFMADD231PS Y4, Y2, acc

#define DOTQ80(DOT) \
	ROWSPROLOGUE; \
	VMOVDQU ·kOnes16(SB), Y15; \
	TESTQ   R11, R11; \
	JZ      end; \
row: \
	ROWSTART; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	CMPQ   CX, $2; \
	JLT    tail; \
loop2: \
	Q8BLOCK(0, Y0, DOT); \
	Q8BLOCK(34, Y1, DOT); \
	ADDQ $68, SI; \
	ADDQ $68, DI; \
	SUBQ $2, CX; \
	CMPQ CX, $2; \
	JGE  loop2; \
tail: \
	TESTQ CX, CX; \
	JZ    done; \
	Q8BLOCK(0, Y0, DOT); \
	ADDQ  $34, SI; \
done: \
	VADDPS Y1, Y0, Y0; \
	HSUMPS(Y0, X0, X1); \
	ROWEND(X0, row); \
end: \
	VZEROUPPER; \
	RET

// AVX2 form.
TEXT ·dotQ8_0(SB), NOSPLIT, $0-40
	DOTQ80(DOTU8S8_AVX2)

// AVX512_VNNI+VL form (same results).
TEXT ·dotQ8_0VNNI(SB), NOSPLIT, $0-40
	DOTQ80(DOTU8S8_VNNI)
