package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/limnx/limnx/ggml/gguf"
)

// Spec describes a model to generate: its shape, its vocabulary source and its
// weights' type mix. Weights are N(0, 0.02²) from Seed; norm weights are 1.0.
type Spec struct {
	Arch          string  // general.architecture: llama, qwen2 or qwen3
	Name          string  // general.name
	NEmbd         int     // embedding width
	NLayer        int     // transformer blocks
	NFF           int     // feed-forward width
	NHead         int     // query heads
	NHeadKV       int     // key/value heads (GQA when < NHead)
	HeadDim       int     // per-head width; 0 means NEmbd/NHead
	ContextLength int     // <arch>.context_length
	RopeBase      float64 // <arch>.rope.freq_base
	RMSEps        float64 // <arch>.attention.layer_norm_rms_epsilon
	Tied          bool    // no output.weight: token_embd is the output matrix
	Seed          uint64  // seed of the random weights
	Type          string  // weight type or mix (see mixes): f32, f16, q8_0, q4_k_m, ...
	Vocab         string  // GGUF file whose tokenizer.* metadata is copied
}

// presets are the named specs; Vocab paths are relative to the module root.
var presets = map[string]Spec{
	// Qwen3-0.6B's shape (config.json of Qwen/Qwen3-0.6B).
	"qwen3-0.6b": {
		Arch: "qwen3", Name: "qwen3-0.6b-random", NEmbd: 1024, NLayer: 28, NFF: 3072,
		NHead: 16, NHeadKV: 8, HeadDim: 128, ContextLength: 40960, RopeBase: 1e6, RMSEps: 1e-6,
		Tied: true, Seed: 1, Type: "q4_k_m", Vocab: "testdata/golden/vocab-qwen3.gguf",
	},
	// Llama-3.2-1B's shape, with the Llama 3.1 tokenizer (see models/testdata).
	// Its rope scaling (llama3, factor 32) is not written: the weights are
	// random, and the contexts used are short.
	"llama-3.2-1b": {
		Arch: "llama", Name: "llama-3.2-1b-random", NEmbd: 2048, NLayer: 16, NFF: 8192,
		NHead: 32, NHeadKV: 8, HeadDim: 64, ContextLength: 131072, RopeBase: 500000, RMSEps: 1e-5,
		Tied: true, Seed: 1, Type: "q4_k_m", Vocab: "models/testdata/vocab-llama3.gguf",
	},
	// Small shapes for tests, like the golden qwen3-small and qwen3-micro models.
	"qwen3-small": {
		Arch: "qwen3", Name: "qwen3-small-random", NEmbd: 256, NLayer: 2, NFF: 768,
		NHead: 4, NHeadKV: 2, HeadDim: 128, ContextLength: 40960, RopeBase: 1e6, RMSEps: 1e-6,
		Seed: 1234, Type: "f32", Vocab: "testdata/golden/vocab-qwen3.gguf",
	},
	"qwen3-micro": {
		Arch: "qwen3", Name: "qwen3-micro-random", NEmbd: 32, NLayer: 1, NFF: 64,
		NHead: 2, NHeadKV: 1, HeadDim: 16, ContextLength: 40960, RopeBase: 1e6, RMSEps: 1e-6,
		Tied: true, Seed: 777, Type: "f32", Vocab: "testdata/golden/vocab-qwen3.gguf",
	},
}

// presetNames returns the preset names, sorted.
func presetNames() []string {
	var names []string
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// headDim returns the per-head width.
func (s *Spec) headDim() int {
	if s.HeadDim > 0 {
		return s.HeadDim
	}
	return s.NEmbd / s.NHead
}

// check reports the first inconsistency in s.
func (s *Spec) check() error {
	switch s.Arch {
	case "llama", "qwen2", "qwen3":
	default:
		return fmt.Errorf("models: architecture %q: want llama, qwen2 or qwen3", s.Arch)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"n_embd", s.NEmbd}, {"n_layer", s.NLayer}, {"n_ff", s.NFF}, {"n_head", s.NHead}, {"n_head_kv", s.NHeadKV}, {"context length", s.ContextLength}} {
		if f.v <= 0 {
			return fmt.Errorf("models: %s = %d, want > 0", f.name, f.v)
		}
	}
	if s.NHead%s.NHeadKV != 0 {
		return fmt.Errorf("models: n_head %d is not a multiple of n_head_kv %d", s.NHead, s.NHeadKV)
	}
	if s.HeadDim <= 0 && s.NEmbd%s.NHead != 0 {
		return fmt.Errorf("models: n_embd %d is not a multiple of n_head %d; give head_dim", s.NEmbd, s.NHead)
	}
	if s.headDim()%2 != 0 {
		return fmt.Errorf("models: head_dim %d is odd; rope needs pairs", s.headDim())
	}
	if _, err := mixFor(s.Type); err != nil {
		return err
	}
	return nil
}

// initKind says how a tensor's values are made.
type initKind int

const (
	initNormal initKind = iota // N(0, 0.02²)
	initOnes                   // 1.0 (norm weights)
)

// plannedTensor is one tensor of a generated model.
type plannedTensor struct {
	name string
	dims []uint64 // ggml order: dims[0] is the row length
	init initKind
}

// tensors returns the model's tensors in the order they are written: token_embd,
// then per block the attention and feed-forward tensors, then output_norm and
// (untied) output, the order convert_hf_to_gguf.py uses.
func (s *Spec) tensors(nVocab int) []plannedTensor {
	e, hd := uint64(s.NEmbd), uint64(s.headDim())
	q, kv, ff, v := uint64(s.NHead)*hd, uint64(s.NHeadKV)*hd, uint64(s.NFF), uint64(nVocab)
	ts := []plannedTensor{{"token_embd.weight", []uint64{e, v}, initNormal}}
	for i := range s.NLayer {
		b := fmt.Sprintf("blk.%d.", i)
		ts = append(ts,
			plannedTensor{b + "attn_norm.weight", []uint64{e}, initOnes},
			plannedTensor{b + "attn_q.weight", []uint64{e, q}, initNormal},
			plannedTensor{b + "attn_k.weight", []uint64{e, kv}, initNormal},
			plannedTensor{b + "attn_v.weight", []uint64{e, kv}, initNormal},
		)
		if s.Arch == "qwen2" {
			ts = append(ts,
				plannedTensor{b + "attn_q.bias", []uint64{q}, initNormal},
				plannedTensor{b + "attn_k.bias", []uint64{kv}, initNormal},
				plannedTensor{b + "attn_v.bias", []uint64{kv}, initNormal},
			)
		}
		if s.Arch == "qwen3" {
			ts = append(ts,
				plannedTensor{b + "attn_q_norm.weight", []uint64{hd}, initOnes},
				plannedTensor{b + "attn_k_norm.weight", []uint64{hd}, initOnes},
			)
		}
		ts = append(ts,
			plannedTensor{b + "attn_output.weight", []uint64{q, e}, initNormal},
			plannedTensor{b + "ffn_norm.weight", []uint64{e}, initOnes},
			plannedTensor{b + "ffn_gate.weight", []uint64{e, ff}, initNormal},
			plannedTensor{b + "ffn_up.weight", []uint64{e, ff}, initNormal},
			plannedTensor{b + "ffn_down.weight", []uint64{ff, e}, initNormal},
		)
	}
	ts = append(ts, plannedTensor{"output_norm.weight", []uint64{e}, initOnes})
	if !s.Tied {
		ts = append(ts, plannedTensor{"output.weight", []uint64{e, v}, initNormal})
	}
	return ts
}

// metadata returns the model's non-tokenizer metadata, in the order llama.cpp's
// converter writes it, for a vocabulary of nVocab tokens and the given file type.
func (s *Spec) metadata(nVocab int, fileType uint32) []gguf.KV {
	a := s.Arch + "."
	kv := []gguf.KV{
		{Key: "general.architecture", Value: gguf.String(s.Arch)},
		{Key: "general.type", Value: gguf.String("model")},
		{Key: "general.name", Value: gguf.String(s.Name)},
		{Key: a + "block_count", Value: gguf.Uint32(uint32(s.NLayer))},
		{Key: a + "context_length", Value: gguf.Uint32(uint32(s.ContextLength))},
		{Key: a + "embedding_length", Value: gguf.Uint32(uint32(s.NEmbd))},
		{Key: a + "feed_forward_length", Value: gguf.Uint32(uint32(s.NFF))},
		{Key: a + "attention.head_count", Value: gguf.Uint32(uint32(s.NHead))},
		{Key: a + "attention.head_count_kv", Value: gguf.Uint32(uint32(s.NHeadKV))},
		{Key: a + "rope.freq_base", Value: gguf.Float32(float32(s.RopeBase))},
		{Key: a + "attention.layer_norm_rms_epsilon", Value: gguf.Float32(float32(s.RMSEps))},
	}
	// qwen3 always names its head width; the others only when it is not n_embd/n_head.
	if s.Arch == "qwen3" || s.headDim()*s.NHead != s.NEmbd {
		kv = append(kv,
			gguf.KV{Key: a + "attention.key_length", Value: gguf.Uint32(uint32(s.headDim()))},
			gguf.KV{Key: a + "attention.value_length", Value: gguf.Uint32(uint32(s.headDim()))},
		)
	}
	if s.Arch == "llama" {
		kv = append(kv,
			gguf.KV{Key: a + "vocab_size", Value: gguf.Uint32(uint32(nVocab))},
			gguf.KV{Key: a + "rope.dimension_count", Value: gguf.Uint32(uint32(s.headDim()))},
		)
	}
	return append(kv,
		gguf.KV{Key: "general.quantization_version", Value: gguf.Uint32(2)},
		gguf.KV{Key: "general.file_type", Value: gguf.Uint32(fileType)},
	)
}

// vocabulary returns the tokenizer.* metadata of the GGUF at path, in file
// order, and the number of tokens.
func vocabulary(path string) ([]gguf.KV, int, error) {
	f, err := gguf.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("models: vocabulary: %w", err)
	}
	// The values must outlive the mapping: copy their encodings.
	defer f.Close()
	var kvs []gguf.KV
	for _, kv := range f.KV {
		if strings.HasPrefix(kv.Key, "tokenizer.") {
			kvs = append(kvs, gguf.KV{Key: kv.Key, Value: kv.Value.Clone()})
		}
	}
	v, ok := f.Lookup("tokenizer.ggml.tokens")
	if !ok || v.Type != gguf.TypeArray || v.Elem != gguf.TypeString || v.Len() == 0 {
		return nil, 0, fmt.Errorf("models: vocabulary %s: no tokenizer.ggml.tokens array of strings", path)
	}
	return kvs, v.Len(), nil
}
