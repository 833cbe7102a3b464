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
