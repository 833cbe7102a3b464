// Package quant owns ggml's tensor element types: the block layouts, the
// plain-Go reference dequantize/quantize routines, the activation formats
// (Q8_0, Q8_1, Q8_K) and the weight x activation dot products that the
// fast kernels in kernels/ are tested against. It does not know about
// files (see ggml/gguf) or models (see ggml/model).
package quant

// Type is a ggml tensor element type. The numbers are ggml's (and GGUF's);
// removed types keep their slot, so the numbers never move.
type Type uint32

// ggml type numbers, as in ggml.h's enum ggml_type.
const (
	F32  Type = 0
	F16  Type = 1
	Q4_0 Type = 2
	Q4_1 Type = 3
	// 4 and 5 were Q4_2 and Q4_3, removed from ggml.
	Q5_0 Type = 6
	Q5_1 Type = 7
	Q8_0 Type = 8
	Q8_1 Type = 9
	Q2_K Type = 10
	Q3_K Type = 11
	Q4_K Type = 12
	Q5_K Type = 13
	Q6_K Type = 14
	Q8_K Type = 15
	I8   Type = 24
	I16  Type = 25
	I32  Type = 26
	I64  Type = 27
	F64  Type = 28
	BF16 Type = 30
)
