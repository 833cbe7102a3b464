// Macros shared by the .s files of this package (AVX, AVX2, F16C).

// HSUMPS(Y, X, T) adds the 8 float32 lanes of Y into lane 0 of X, where X is
// the low half of Y and T is a scratch X register.
#define HSUMPS(y, x, t) \
	VEXTRACTF128 $1, y, t; \
	VADDPS       t, x, x; \
	VMOVHLPS     x, t, t; \
	VADDPS       t, x, x; \
	VMOVSHDUP    x, t; \
	VADDSS       t, x, x

// F16BCAST(mem, X, Y) loads the float16 at mem and broadcasts it as float32
// to the 8 lanes of Y (X is Y's low half).
#define F16BCAST(mem, x, y) \
	VPBROADCASTW mem, x; \
	VCVTPH2PS    x, y

// Row loops. The dot kernels take (nb int, w, a *byte, rows int, out
// *float32) and compute rows consecutive weight rows of nb blocks each
// against the same activation row, storing one float32 per row:
//	ROWSPROLOGUE     SI = w, R13 = a, R11 = rows, R12 = out
//	ROWSTART         CX = nb, DI = a (at the top of each row)
//	ROWEND(x, label) *out++ = lane 0 of x; loop to label while rows remain
// Registers R11..R13 are reserved for this.
#define ROWSPROLOGUE \
	MOVQ w+8(FP), SI; \
	MOVQ a+16(FP), R13; \
	MOVQ rows+24(FP), R11; \
	MOVQ out+32(FP), R12

#define ROWSTART \
	MOVQ nb+0(FP), CX; \
	MOVQ R13, DI

#define ROWEND(x, label) \
	MOVSS x, (R12); \
	ADDQ  $4, R12; \
	DECQ  R11; \
	JNZ   label

// Integer multiply-accumulate steps, in an AVX2 and an AVX512_VNNI+VL
// form with identical results (no intermediate can saturate with the
// operand ranges of these kernels). Kernels are written once as macros
// taking these as parameters and assembled twice.
//
// MADDACC_*(s, p, acc): acc += pairwise sums of the int16 products of p
// and s, as 8 int32 lanes. The AVX2 form clobbers p.
#define MADDACC_AVX2(s, p, acc) VPMADDWD s, p, p; VPADDD p, acc, acc
#define MADDACC_VNNI(s, p, acc) VPDPWSSD s, p, acc

// DOTU8S8_*(s, u, d): d = 8 int32 lanes, each the sum of 4 consecutive
// products of the unsigned bytes of u and the signed bytes of s (|u| <=
// 128, |s| <= 127); d must differ from u and s. The AVX2 form needs
// int16 ones in Y15.
#define DOTU8S8_AVX2(s, u, d) VPMADDUBSW s, u, d; VPMADDWD Y15, d, d
#define DOTU8S8_VNNI(s, u, d) VPXOR d, d, d; VPDPBUSD s, u, d
