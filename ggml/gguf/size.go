package gguf

import "github.com/limnx/limnx/ggml/quant"

// layout is a ggml type's block layout: elements per block and bytes per block.
type layout struct{ blockSize, typeSize uint64 }

// layouts holds the block layout of every ggml type a GGUF file may contain, by
// type number, including the types ggml/quant cannot compute with (the IQ and TQ
// families, MXFP4), so that such files still open and list their tensors. For the
// types quant supports, its Traits table is used (and a test checks they agree).
// Numbers and sizes are ggml's (ggml.h enum ggml_type, type_traits in ggml.c).
var layouts = map[quant.Type]layout{
	quant.F32:  {1, 4},
	quant.F16:  {1, 2},
	quant.Q4_0: {32, 18},
	quant.Q4_1: {32, 20},
	quant.Q5_0: {32, 22},
	quant.Q5_1: {32, 24},
	quant.Q8_0: {32, 34},
	quant.Q8_1: {32, 36},
	quant.Q2_K: {256, 84},
	quant.Q3_K: {256, 110},
	quant.Q4_K: {256, 144},
	quant.Q5_K: {256, 176},
	quant.Q6_K: {256, 210},
	quant.Q8_K: {256, 292},
	16:         {256, 66},  // IQ2_XXS
	17:         {256, 74},  // IQ2_XS
	18:         {256, 98},  // IQ3_XXS
	19:         {256, 50},  // IQ1_S
	20:         {32, 18},   // IQ4_NL
	21:         {256, 110}, // IQ3_S
	22:         {256, 82},  // IQ2_S
	23:         {256, 136}, // IQ4_XS
	quant.I8:   {1, 1},
	quant.I16:  {1, 2},
	quant.I32:  {1, 4},
	quant.I64:  {1, 8},
	quant.F64:  {1, 8},
	29:         {256, 56}, // IQ1_M
	quant.BF16: {1, 2},
	34:         {256, 54}, // TQ1_0
	35:         {256, 66}, // TQ2_0
	39:         {32, 17},  // MXFP4
}

// layoutOf returns the block layout of t: from ggml/quant's Traits table when
// quant supports t, otherwise from layouts.
func layoutOf(t quant.Type) (blockSize, typeSize uint64, ok bool) {
	if tr, ok := t.Traits(); ok && tr.BlockSize > 0 && tr.TypeSize > 0 {
		return uint64(tr.BlockSize), uint64(tr.TypeSize), true
	}
	l, ok := layouts[t]
	return l.blockSize, l.typeSize, ok
}
