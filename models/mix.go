package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/limnx/limnx/ggml/quant"
)

// mix chooses each tensor's type: one type for every 2-D tensor (as
// `llama-quantize --pure`), or q4_k_m, llama.cpp's Q4_K_M mix.
type mix struct {
	name     string
	base     quant.Type
	fileType uint32 // general.file_type (llama_ftype)
	q4KM     bool
}

// fileTypes maps a pure weight type to llama.cpp's llama_ftype number
// (MOSTLY_Q3_K_M for q3_K and MOSTLY_Q4_K_M for q4_K, as llama-quantize
// writes for --pure files).
var fileTypes = map[quant.Type]uint32{
	quant.F32: 0, quant.F16: 1, quant.Q4_0: 2, quant.Q4_1: 3, quant.Q8_0: 7, quant.Q5_0: 8,
	quant.Q5_1: 9, quant.Q2_K: 10, quant.Q3_K: 12, quant.Q4_K: 15, quant.Q5_K: 17, quant.Q6_K: 18,
	quant.BF16: 32,
}

// mixNames lists the accepted -type values.
const mixNames = "f32 f16 bf16 q4_0 q4_1 q5_0 q5_1 q8_0 q2_K q3_K q4_K q5_K q6_K q4_K_M"

// mixFor parses a -type value.
func mixFor(name string) (mix, error) {
	if strings.EqualFold(name, "q4_k_m") {
		return mix{name: "q4_K_M", base: quant.Q4_K, fileType: 15, q4KM: true}, nil
	}
	t, err := quant.ParseType(name)
	if err != nil {
		return mix{}, fmt.Errorf("models: type %q: want one of %s", name, mixNames)
	}
	ft, ok := fileTypes[t]
	if !ok {
		return mix{}, fmt.Errorf("models: type %v cannot hold weights; want one of %s", t, mixNames)
	}
	return mix{name: t.String(), base: t, fileType: ft}, nil
}

// mixContext is what the Q4_K_M rules need to know about the model.
type mixContext struct {
	nLayer    int
	hasOutput bool // a separate output.weight exists (untied)
}

// typeFor returns the type of a tensor: F32 for vectors (norms, biases), else
// the mix's pick, moved to a type whose block fits the row length if needed.
func (m mix) typeFor(name string, dims []uint64, ctx *mixContext) quant.Type {
	if len(dims) < 2 {
		return quant.F32
	}
	return fallback(m.pick(name, dims, ctx), dims[0])
}

// pick returns the type for a 2-D tensor (callers keep 1-D tensors F32).
//
// Q4_K_M follows llama.cpp's llama_tensor_get_type: Q4_K everywhere, except
// Q6_K for output.weight (token_embd.weight when tied, since it is the output
// matrix), and Q6_K for attn_v and ffn_down in the layers useMoreBits picks.
func (m mix) pick(name string, dims []uint64, ctx *mixContext) quant.Type {
	if !m.q4KM {
		return m.base
	}
	if name == "output.weight" || (!ctx.hasOutput && name == "token_embd.weight") {
		if dims[0]%256 != 0 {
			return quant.Q8_0
		}
		return quant.Q6_K
	}
	if layer, ok := layerOf(name); ok && (strings.HasSuffix(name, ".attn_v.weight") || strings.HasSuffix(name, ".ffn_down.weight")) {
		if useMoreBits(layer, ctx.nLayer) {
			return quant.Q6_K
		}
	}
	return m.base
}

// useMoreBits is llama.cpp's choice of layers that get more bits: the first and
// last eighth, and every third layer in between.
func useMoreBits(i, n int) bool {
	return i < n/8 || i >= 7*n/8 || (i-n/8)%3 == 2
}

// layerOf parses the block number from "blk.N.*".
func layerOf(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "blk.")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, ".")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

// fallback returns t if rowLen is a whole number of t's blocks, else a type
// that fits, as llama.cpp does: Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0,
// Q2_K/Q3_K -> Q4_0 (llama.cpp uses IQ4_NL, which ggml/quant does not have),
// and F16 if a 32-element block does not fit either.
func fallback(t quant.Type, rowLen uint64) quant.Type {
	fits := func(t quant.Type) bool {
		tr, ok := t.Traits()
		return ok && rowLen%uint64(tr.BlockSize) == 0
	}
	if fits(t) {
		return t
	}
	switch t {
	case quant.Q2_K, quant.Q3_K:
		t = quant.Q4_0
	case quant.Q4_K:
		t = quant.Q5_0
	case quant.Q5_K:
		t = quant.Q5_1
	case quant.Q6_K:
		t = quant.Q8_0
	}
	if fits(t) {
		return t
	}
	return quant.F16
}
