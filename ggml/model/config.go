// Package model owns the transformer forward pass for the llama, qwen2 and
// qwen3 architectures: the Config read from GGUF metadata, the Weights as
// views into the GGUF mapping (quantized weights stay quantized), the KV
// cache (float32, or F16 with NewStateKV) and Forward, which reads top to
// bottom like llama2.c's run.c. The matmuls, the attention (per key/value head and block of query
// rows) and a batch's per-token steps run on the State's quant.MatMul
// goroutines.
//
// A Model is immutable after Load and may be shared by several States; a
// State (scratch buffers, KV cache, matmul workers) belongs to one
// goroutine at a time.
package model

import (
	"errors"
	"fmt"
	"math"

	"github.com/limnx/limnx/ggml/gguf"
)

// ErrUnknownArch is returned (wrapped) by Load for a general.architecture
// this package does not implement.
var ErrUnknownArch = errors.New("unknown architecture")

// arch describes what one general.architecture value needs beyond the
// common llama layout.
type arch struct {
	ropeNeoX bool // rotate pairs (i, i+n/2) rather than (2i, 2i+1)
	qkNorm   bool // RMS norm per head on Q and K before RoPE (attn_q_norm, attn_k_norm)
	qkvBias  bool // attn_q/k/v biases are required (they are optional otherwise)
}

// archs is the table of supported architectures, as llama.cpp's
// llama_model_rope_type and graph builders define them.
var archs = map[string]arch{
	"llama": {},
	"qwen2": {ropeNeoX: true, qkvBias: true},
	"qwen3": {ropeNeoX: true, qkNorm: true},
}

// Config holds the hyperparameters of a model, from GGUF metadata.
type Config struct {
	Arch      string // general.architecture: llama, qwen2, qwen3
	NEmbd     int    // <arch>.embedding_length: residual stream width
	NLayer    int    // <arch>.block_count
	NFF       int    // <arch>.feed_forward_length: FFN hidden width
	NHead     int    // <arch>.attention.head_count: query heads
	NHeadKV   int    // <arch>.attention.head_count_kv (default NHead): key/value heads
	HeadDim   int    // <arch>.attention.key_length, else NEmbd/NHead
	NVocab    int    // rows of token_embd.weight
	NCtxTrain int    // <arch>.context_length (0 if absent)

	RMSEps        float32 // <arch>.attention.layer_norm_rms_epsilon
	NRot          int     // <arch>.rope.dimension_count, else HeadDim
	RopeBase      float32 // <arch>.rope.freq_base (default 10000)
	RopeFreqScale float32 // 1/<arch>.rope.scaling.factor for linear scaling, else 1
	RopeNeoX      bool    // NeoX rotation (qwen2, qwen3); normal (llama)
	QKNorm        bool    // per-head RMS norm of Q and K (qwen3)
	QKVBias       bool    // Q/K/V projections carry biases (qwen2)
}

// QDim returns the width of the query projection, NHead*HeadDim.
func (c *Config) QDim() int { return c.NHead * c.HeadDim }

// KVDim returns the width of the key and value projections, NHeadKV*HeadDim.
func (c *Config) KVDim() int { return c.NHeadKV * c.HeadDim }

// ConfigFromGGUF reads the hyperparameters from f's metadata. NVocab is
// left 0 (Load takes it from token_embd.weight). It returns an error
// wrapping ErrUnknownArch for an architecture outside llama, qwen2, qwen3,
// and an error naming the key for a missing or inconsistent value.
func ConfigFromGGUF(f *gguf.File) (Config, error) {
	var c Config
	name, ok := f.String("general.architecture")
	if !ok {
		return c, errors.New("model: metadata: general.architecture missing")
	}
	a, ok := archs[name]
	if !ok {
		return c, fmt.Errorf("model: general.architecture %q: %w (supported: llama, qwen2, qwen3)", name, ErrUnknownArch)
	}
	c.Arch = name
	c.RopeNeoX, c.QKNorm, c.QKVBias = a.ropeNeoX, a.qkNorm, a.qkvBias

	key := func(k string) string { return name + "." + k }
	var err error
	uint := func(k string, def int, required bool) int {
		if err != nil {
			return 0
		}
		v, ok := f.Uint(key(k))
		if !ok {
			if _, present := f.Lookup(key(k)); present {
				err = fmt.Errorf("model: metadata %s: not a non-negative integer", key(k))
			} else if required {
				err = fmt.Errorf("model: metadata %s missing", key(k))
			}
			return def
		}
		if v > 1<<30 {
			err = fmt.Errorf("model: metadata %s = %d: too large", key(k), v)
			return 0
		}
		return int(v)
	}
	float := func(k string, def float64, required bool) float64 {
		if err != nil {
			return 0
		}
		v, ok := f.Float(key(k))
		if !ok {
			if _, present := f.Lookup(key(k)); present {
				err = fmt.Errorf("model: metadata %s: not a float", key(k))
			} else if required {
				err = fmt.Errorf("model: metadata %s missing", key(k))
			}
			return def
		}
		return v
	}

	c.NEmbd = uint("embedding_length", 0, true)
	c.NLayer = uint("block_count", 0, true)
	c.NFF = uint("feed_forward_length", 0, true)
	c.NHead = uint("attention.head_count", 0, true)
	c.NHeadKV = uint("attention.head_count_kv", c.NHead, false)
	c.NCtxTrain = uint("context_length", 0, false)
	headDim := 0
	if c.NHead > 0 {
		headDim = c.NEmbd / c.NHead
	}
	c.HeadDim = uint("attention.key_length", headDim, false)
	valueLen := uint("attention.value_length", c.HeadDim, false)
	c.NRot = uint("rope.dimension_count", c.HeadDim, false)
	c.RMSEps = float32(float("attention.layer_norm_rms_epsilon", 0, true))
	c.RopeBase = float32(float("rope.freq_base", 10000, false))
	factor := float("rope.scaling.factor", 0, false)
	linear := float("rope.scale_linear", 0, false) // older key
	if err != nil {
		return c, err
	}
	c.RopeFreqScale = 1
	scaling, _ := f.String(key("rope.scaling.type"))
	switch {
	case scaling == "" || scaling == "none" || scaling == "linear":
		if factor > 0 && scaling != "none" {
			c.RopeFreqScale = float32(1 / factor)
		} else if linear > 0 {
			c.RopeFreqScale = float32(1 / linear)
		}
	default:
		return c, fmt.Errorf("model: metadata %s = %q: unsupported (only linear scaling)", key("rope.scaling.type"), scaling)
	}

	switch {
	case c.NEmbd == 0 || c.NLayer == 0 || c.NFF == 0 || c.NHead == 0 || c.NHeadKV == 0 || c.HeadDim == 0:
		return c, fmt.Errorf("model: metadata: zero size (embedding_length %d, block_count %d, feed_forward_length %d, head_count %d, head_count_kv %d, head dim %d)",
			c.NEmbd, c.NLayer, c.NFF, c.NHead, c.NHeadKV, c.HeadDim)
	case c.NHead%c.NHeadKV != 0:
		return c, fmt.Errorf("model: metadata: head_count %d is not a multiple of head_count_kv %d", c.NHead, c.NHeadKV)
	case valueLen != c.HeadDim:
		return c, fmt.Errorf("model: metadata: value_length %d != key_length %d: unsupported", valueLen, c.HeadDim)
	case c.NRot == 0 || c.NRot > c.HeadDim || c.NRot%2 != 0:
		return c, fmt.Errorf("model: metadata %s = %d: must be even and in 2..%d", key("rope.dimension_count"), c.NRot, c.HeadDim)
	case !(c.RMSEps > 0) || math.IsInf(float64(c.RMSEps), 0):
		return c, fmt.Errorf("model: metadata %s = %v: must be positive", key("attention.layer_norm_rms_epsilon"), c.RMSEps)
	case !(c.RopeBase > 0) || !(c.RopeFreqScale > 0) || math.IsInf(float64(c.RopeFreqScale), 0):
		return c, fmt.Errorf("model: metadata: rope freq_base %v, freq_scale %v: must be positive", c.RopeBase, c.RopeFreqScale)
	}
	return c, nil
}
