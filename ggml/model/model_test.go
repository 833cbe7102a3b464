package model

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/x448/float16"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
)

// tinySpec describes a small random model written by buildTiny.
type tinySpec struct {
	arch               string
	nEmbd, nFF, nLayer int
	nHead, nHeadKV     int
	keyLength          int // 0: no key_length key
	nVocab             int
	wtype              quant.Type
	tied, bias         bool
	skip               string              // tensor to leave out
	reshape            map[string][]uint64 // tensor name -> dims to write instead
	retype             map[string]quant.Type
	dropKey            string                // metadata key (without arch prefix) to leave out
	extra              map[string]gguf.Value // more metadata (without arch prefix)
}

func defaultSpec(arch string) tinySpec {
	return tinySpec{arch: arch, nEmbd: 64, nFF: 96, nLayer: 2, nHead: 4, nHeadKV: 2, nVocab: 40, wtype: quant.F32}
}

// buildTiny writes a GGUF model for s with deterministic random weights and
// parses it.
func buildTiny(t testing.TB, s tinySpec) *gguf.File {
	t.Helper()
	var buf bytes.Buffer
	w := gguf.NewWriter(&buf)
	w.Set("general.architecture", gguf.String(s.arch))
	set := func(k string, v gguf.Value) {
		if k != s.dropKey {
			w.Set(s.arch+"."+k, v)
		}
	}
	set("embedding_length", gguf.Uint32(uint32(s.nEmbd)))
	set("block_count", gguf.Uint32(uint32(s.nLayer)))
	set("feed_forward_length", gguf.Uint32(uint32(s.nFF)))
	set("attention.head_count", gguf.Uint32(uint32(s.nHead)))
	set("attention.head_count_kv", gguf.Uint32(uint32(s.nHeadKV)))
	set("attention.layer_norm_rms_epsilon", gguf.Float32(1e-6))
	set("rope.freq_base", gguf.Float32(10000))
	set("context_length", gguf.Uint32(256))
	for k, v := range s.extra {
		w.Set(s.arch+"."+k, v) // replaces a value set above
	}
	hd := s.nEmbd / s.nHead
	if s.keyLength > 0 {
		hd = s.keyLength
		set("attention.key_length", gguf.Uint32(uint32(hd)))
		set("attention.value_length", gguf.Uint32(uint32(hd)))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	add := func(name string, typ quant.Type, dims ...uint64) {
		if name == s.skip {
			return
		}
		if d, ok := s.reshape[name]; ok {
			dims = d
		}
		if tt, ok := s.retype[name]; ok {
			typ = tt
		}
		n := uint64(1)
		for _, d := range dims {
			n *= d
		}
		vals := make([]float32, n)
		for i := range vals {
			if strings.Contains(name, "norm") {
				vals[i] = 1 + 0.1*float32(rng.NormFloat64())
			} else {
				vals[i] = 0.1 * float32(rng.NormFloat64())
			}
		}
		size, err := gguf.TensorSize(typ, dims)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data := make([]byte, size)
		if err := quant.Quantize(typ, vals, data); err != nil {
			// Types without a quantizer (I32): leave zero bytes.
			clear(data)
		}
		if err := w.AddTensor(name, typ, dims, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	E, F, V := uint64(s.nEmbd), uint64(s.nFF), uint64(s.nVocab)
	Q, KV := uint64(s.nHead*hd), uint64(s.nHeadKV*hd)
	add("token_embd.weight", s.wtype, E, V)
	add("output_norm.weight", quant.F32, E)
	if !s.tied {
		add("output.weight", s.wtype, E, V)
	}
	for l := range s.nLayer {
		p := fmt.Sprintf("blk.%d.", l)
		add(p+"attn_norm.weight", quant.F32, E)
		add(p+"attn_q.weight", s.wtype, E, Q)
		add(p+"attn_k.weight", s.wtype, E, KV)
		add(p+"attn_v.weight", s.wtype, E, KV)
		if s.bias {
			add(p+"attn_q.bias", quant.F32, Q)
			add(p+"attn_k.bias", quant.F32, KV)
			add(p+"attn_v.bias", quant.F32, KV)
		}
		if s.arch == "qwen3" {
			add(p+"attn_q_norm.weight", quant.F32, uint64(hd))
			add(p+"attn_k_norm.weight", quant.F32, uint64(hd))
		}
		add(p+"attn_output.weight", s.wtype, Q, E)
		add(p+"ffn_norm.weight", quant.F32, E)
		add(p+"ffn_gate.weight", s.wtype, E, F)
		add(p+"ffn_up.weight", s.wtype, E, F)
		add(p+"ffn_down.weight", s.wtype, F, E)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name string
		spec tinySpec
		want Config
	}{
		{"llama", defaultSpec("llama"), Config{Arch: "llama", NEmbd: 64, NLayer: 2, NFF: 96, NHead: 4, NHeadKV: 2, HeadDim: 16, NVocab: 40,
			NCtxTrain: 256, RMSEps: 1e-6, NRot: 16, RopeBase: 10000, RopeFreqScale: 1}},
		{"qwen2", func() tinySpec { s := defaultSpec("qwen2"); s.bias = true; return s }(), Config{Arch: "qwen2", NEmbd: 64, NLayer: 2, NFF: 96, NHead: 4,
			NHeadKV: 2, HeadDim: 16, NVocab: 40, NCtxTrain: 256, RMSEps: 1e-6, NRot: 16, RopeBase: 10000, RopeFreqScale: 1, RopeNeoX: true, QKVBias: true}},
		{"qwen3 key_length", func() tinySpec { s := defaultSpec("qwen3"); s.keyLength = 32; return s }(), Config{Arch: "qwen3", NEmbd: 64, NLayer: 2, NFF: 96,
			NHead: 4, NHeadKV: 2, HeadDim: 32, NVocab: 40, NCtxTrain: 256, RMSEps: 1e-6, NRot: 32, RopeBase: 10000, RopeFreqScale: 1, RopeNeoX: true, QKNorm: true}},
	}
	linear := defaultSpec("llama")
	linear.extra = map[string]gguf.Value{"rope.scaling.type": gguf.String("linear"), "rope.scaling.factor": gguf.Float32(4),
		"rope.dimension_count": gguf.Uint32(8), "rope.freq_base": gguf.Float32(5e5)}
	tests = append(tests, struct {
		name string
		spec tinySpec
		want Config
	}{"llama linear rope scaling, partial rotation", linear, Config{Arch: "llama", NEmbd: 64, NLayer: 2, NFF: 96, NHead: 4, NHeadKV: 2, HeadDim: 16,
		NVocab: 40, NCtxTrain: 256, RMSEps: 1e-6, NRot: 8, RopeBase: 5e5, RopeFreqScale: 0.25}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Load(buildTiny(t, tc.spec))
			if err != nil {
				t.Fatal(err)
			}
			if m.Config != tc.want {
				t.Errorf("Config =\n%+v\nwant\n%+v", m.Config, tc.want)
			}
			if m.Weights.Tied != tc.spec.tied {
				t.Errorf("Tied = %v, want %v", m.Weights.Tied, tc.spec.tied)
			}
		})
	}
}

func TestGoldenConfig(t *testing.T) {
	tests := []struct {
		file string
		want Config
	}{
		{"qwen3-small-Q4_K_M.gguf", Config{Arch: "qwen3", NEmbd: 256, NLayer: 2, NFF: 768, NHead: 4, NHeadKV: 2, HeadDim: 128, NVocab: 4099,
			NCtxTrain: 40960, RMSEps: 1e-6, NRot: 128, RopeBase: 1e6, RopeFreqScale: 1, RopeNeoX: true, QKNorm: true}},
		{"llama-small-Q8_0.gguf", Config{Arch: "llama", NEmbd: 256, NLayer: 2, NFF: 768, NHead: 4, NHeadKV: 2, HeadDim: 64, NVocab: 4096,
			NCtxTrain: 4096, RMSEps: 1e-5, NRot: 64, RopeBase: 1e4, RopeFreqScale: 1}},
		{"qwen3-micro-Q5_1.gguf", Config{Arch: "qwen3", NEmbd: 32, NLayer: 1, NFF: 64, NHead: 2, NHeadKV: 1, HeadDim: 16, NVocab: 4099,
			NCtxTrain: 40960, RMSEps: 1e-6, NRot: 16, RopeBase: 1e6, RopeFreqScale: 1, RopeNeoX: true, QKNorm: true}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			m := loadGolden(t, tc.file)
			if m.Config != tc.want {
				t.Errorf("Config =\n%+v\nwant\n%+v", m.Config, tc.want)
			}
		})
	}
	// Q4_K_M mixes types: output.weight is Q6_K, token_embd Q4_K; llama-small is tied.
	m := loadGolden(t, "qwen3-small-Q4_K_M.gguf")
	if m.Weights.Output.Type != quant.Q6_K || m.Weights.TokenEmbd.Type != quant.Q4_K || m.Weights.Tied {
		t.Errorf("qwen3-small-Q4_K_M: output %v, token_embd %v, tied %v; want q6_K, q4_K, false",
			m.Weights.Output.Type, m.Weights.TokenEmbd.Type, m.Weights.Tied)
	}
	if m := loadGolden(t, "llama-small-Q4_K_M.gguf"); !m.Weights.Tied || m.Weights.Output.Type != quant.Q6_K {
		t.Errorf("llama-small-Q4_K_M: tied %v output %v, want true q6_K", m.Weights.Tied, m.Weights.Output.Type)
	}
}

func TestLoadErrors(t *testing.T) {
	base := defaultSpec("qwen3")
	with := func(f func(*tinySpec)) tinySpec { s := base; f(&s); return s }
	tests := []struct {
		name string
		spec tinySpec
		want string
	}{
		{"unknown architecture", with(func(s *tinySpec) { s.arch = "gpt2" }), `general.architecture "gpt2": unknown architecture`},
		{"missing tensor", with(func(s *tinySpec) { s.skip = "blk.1.ffn_up.weight" }), `tensor "blk.1.ffn_up.weight" missing`},
		{"missing qk norm", with(func(s *tinySpec) { s.skip = "blk.0.attn_k_norm.weight" }), `tensor "blk.0.attn_k_norm.weight" missing`},
		{"missing token_embd", with(func(s *tinySpec) { s.skip = "token_embd.weight" }), `tensor "token_embd.weight" missing`},
		{"qwen2 without biases", with(func(s *tinySpec) { s.arch = "qwen2" }), `tensor "blk.0.attn_q.bias" missing`},
		{"wrong shape", with(func(s *tinySpec) { s.reshape = map[string][]uint64{"blk.0.attn_q.weight": {64, 32}} }),
			`tensor "blk.0.attn_q.weight": shape [64 32], want [64 64]`},
		{"wrong norm shape", with(func(s *tinySpec) { s.reshape = map[string][]uint64{"output_norm.weight": {32}} }),
			`tensor "output_norm.weight": shape [32], want [64]`},
		{"unsupported type", with(func(s *tinySpec) { s.retype = map[string]quant.Type{"blk.0.ffn_gate.weight": quant.I32} }),
			`tensor "blk.0.ffn_gate.weight": type i32: unsupported`},
		{"missing metadata", with(func(s *tinySpec) { s.dropKey = "embedding_length" }), `qwen3.embedding_length missing`},
		{"missing rms eps", with(func(s *tinySpec) { s.dropKey = "attention.layer_norm_rms_epsilon" }), `layer_norm_rms_epsilon missing`},
		{"bad GQA", with(func(s *tinySpec) { s.nHeadKV = 3 }), `head_count 4 is not a multiple of head_count_kv 3`},
		{"yarn", with(func(s *tinySpec) { s.extra = map[string]gguf.Value{"rope.scaling.type": gguf.String("yarn")} }), `"yarn": unsupported`},
		{"odd n_rot", with(func(s *tinySpec) { s.extra = map[string]gguf.Value{"rope.dimension_count": gguf.Uint32(7)} }), `rope.dimension_count = 7`},
		{"string block_count", with(func(s *tinySpec) { s.extra = map[string]gguf.Value{"block_count": gguf.String("2")} }),
			`block_count: not a non-negative integer`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(buildTiny(t, tc.spec))
			if err == nil {
				t.Fatalf("Load succeeded, want error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "model: ") {
				t.Errorf("error %q, want it to start with \"model: \" and contain %q", err, tc.want)
			}
		})
	}
	_, err := Load(buildTiny(t, with(func(s *tinySpec) { s.arch = "mamba" })))
	if !errors.Is(err, ErrUnknownArch) {
		t.Errorf("unknown architecture: error %v does not wrap ErrUnknownArch", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, _, err := Open(t.TempDir() + "/missing.gguf"); err == nil {
		t.Error("Open of a missing file succeeded")
	}
	// A vocab-only file has no tensors.
	_, _, err := Open(goldenDir + "/vocab-qwen3.gguf")
	if err == nil || !strings.Contains(err.Error(), "qwen3.embedding_length missing") {
		t.Errorf("Open(vocab-only) error = %v, want qwen3.embedding_length missing", err)
	}
}

func TestForwardErrors(t *testing.T) {
	m, err := Load(buildTiny(t, defaultSpec("llama")))
	if err != nil {
		t.Fatal(err)
	}
	s := m.NewState(4, 1)
	tests := []struct {
		name   string
		tokens []int32
		pos    int
		want   string
	}{
		{"empty", nil, 0, "no tokens"},
		{"past the cache", []int32{1, 2}, 3, "outside the cache"},
		{"negative position", []int32{1}, -1, "outside the cache"},
		{"token too large", []int32{40}, 0, "outside the vocabulary"},
		{"negative token", []int32{-1}, 0, "outside the vocabulary"},
	}
	for _, tc := range tests {
		if _, err := s.Forward(tc.tokens, tc.pos); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestBatchMatchesSequential checks that a prompt run as one batch (on 2
// goroutines) gives the same last logits as feeding its tokens one at a
// time (on 1), on both kernel paths. 97 tokens: the batch's attention runs
// on the matmul goroutines, in blocks of 16 query rows (Gemm on the fast
// path) and a last block of one row per query head (dot products).
func TestBatchMatchesSequential(t *testing.T) {
	specs := []tinySpec{defaultSpec("llama"), defaultSpec("qwen3"), func() tinySpec { s := defaultSpec("qwen2"); s.bias = true; s.tied = true; return s }()}
	q := defaultSpec("qwen3")
	q.nEmbd, q.nFF, q.wtype = 256, 256, quant.Q4_K
	specs = append(specs, q)
	prompt := make([]int32, 97)
	for i := range prompt {
		prompt[i] = int32((i*7 + 3) % 40)
	}
	onBothPaths(t, func(t *testing.T) {
		for _, spec := range specs {
			t.Run(spec.arch+"-"+spec.wtype.String(), func(t *testing.T) {
				m, err := Load(buildTiny(t, spec))
				if err != nil {
					t.Fatal(err)
				}
				// An F16 cache rounds keys and values that batch and
				// sequential runs compute in another order: a last-bit
				// difference there is a 2^-11 relative one in the cache.
				for _, kv := range []struct {
					typ quant.Type
					tol float64
				}{{quant.F32, 1e-5}, {quant.F16, 2e-3}} {
					a, err := m.NewStateKV(len(prompt), 2, kv.typ)
					if err != nil {
						t.Fatal(err)
					}
					defer a.Close()
					batch, err := a.Forward(prompt, 0)
					if err != nil {
						t.Fatal(err)
					}
					batch = append([]float32(nil), batch...)
					b, _ := m.NewStateKV(len(prompt), 1, kv.typ)
					var seq []float32
					for i, tok := range prompt {
						if seq, err = b.Forward([]int32{tok}, i); err != nil {
							t.Fatal(err)
						}
					}
					for i := range batch {
						if math.Abs(float64(batch[i]-seq[i])) > kv.tol {
							t.Fatalf("%v cache: logit %d: batch %v, sequential %v", kv.typ, i, batch[i], seq[i])
						}
					}
				}
			})
		}
	})
}

// TestBiasIsUsed checks that qwen2's Q/K/V biases change the output.
func TestBiasIsUsed(t *testing.T) {
	spec := defaultSpec("qwen2")
	spec.bias = true
	f := buildTiny(t, spec)
	m, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	prompt := []int32{7, 8, 9}
	with, _ := m.NewState(3, 1).Forward(prompt, 0)
	with = append([]float32(nil), with...)
	for i := range m.Weights.Layers {
		L := &m.Weights.Layers[i]
		L.Bq, L.Bk, L.Bv = nil, nil, nil
	}
	without, _ := m.NewState(3, 1).Forward(prompt, 0)
	same := true
	for i := range with {
		if with[i] != without[i] {
			same = false
		}
	}
	if same {
		t.Error("logits are the same with and without the Q/K/V biases")
	}
}

func TestDecodeNoAllocs(t *testing.T) {
	m := loadGolden(t, "qwen3-small-Q4_K_M.gguf")
	for _, threads := range []int{1, 2} {
		s := m.NewState(64, threads)
		if _, err := s.Forward([]int32{1, 2, 3, 4}, 0); err != nil {
			t.Fatal(err)
		}
		pos := 4
		tok := []int32{5}
		n := testing.AllocsPerRun(20, func() {
			if _, err := s.Forward(tok, pos); err != nil {
				t.Fatal(err)
			}
			pos++
		})
		s.Close()
		if n != 0 {
			t.Errorf("threads %d: allocations per decoded token = %v, want 0", threads, n)
		}
	}
}

// TestStaleCacheIgnored: a State whose cache holds NaN everywhere (as if
// an earlier sequence had gone bad) gives a new sequence from position 0
// the same logits, bit for bit, as a fresh State: attention never lets a
// cell past the sequence into the result, though it reads value cells up
// to the next multiple of 8 positions. Prompt lengths around that width,
// then decode steps.
func TestStaleCacheIgnored(t *testing.T) {
	m, err := Load(buildTiny(t, defaultSpec("qwen3")))
	if err != nil {
		t.Fatal(err)
	}
	nan := float32(math.NaN())
	nan16 := float16.NaN().Bits()
	for _, kvType := range []quant.Type{quant.F32, quant.F16} {
		for _, n := range []int{1, 5, 8, 9, 20} {
			fresh, err := m.NewStateKV(64, 2, kvType)
			if err != nil {
				t.Fatal(err)
			}
			stale, _ := m.NewStateKV(64, 2, kvType)
			for l := range stale.KV.V {
				for i := range stale.KV.V[l] {
					stale.KV.V[l][i], stale.KV.K[l][i] = nan, nan
				}
			}
			for l := range stale.KV.V16 {
				for i := range stale.KV.V16[l] {
					stale.KV.V16[l][i], stale.KV.K16[l][i] = nan16, nan16
				}
			}
			prompt := make([]int32, n)
			for i := range prompt {
				prompt[i] = int32((i*5 + 1) % 40)
			}
			for step := 0; step < 4; step++ {
				pos, toks := 0, prompt
				if step > 0 {
					pos, toks = n+step-1, []int32{int32(step)}
				}
				want, err := fresh.Forward(toks, pos)
				if err != nil {
					t.Fatal(err)
				}
				got, err := stale.Forward(toks, pos)
				if err != nil {
					t.Fatal(err)
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%v cache, prompt %d, step %d: logit %d = %g after a NaN cache, %g fresh", kvType, n, step, i, got[i], want[i])
					}
				}
			}
			fresh.Close()
			stale.Close()
		}
	}
}

// TestTinyContext: a context shorter than the attention's kernel width
// and than a head (3 positions, head dimension 128) decodes to the logits
// of a roomy context, within float rounding (the padding of the score rows
// differs).
func TestTinyContext(t *testing.T) {
	spec := defaultSpec("qwen3")
	spec.nEmbd = 512 // 4 heads of 128
	m, err := Load(buildTiny(t, spec))
	if err != nil {
		t.Fatal(err)
	}
	onBothPaths(t, func(t *testing.T) {
		for _, kvType := range []quant.Type{quant.F32, quant.F16} {
			small, err := m.NewStateKV(3, 2, kvType)
			if err != nil {
				t.Fatal(err)
			}
			roomy, _ := m.NewStateKV(64, 2, kvType)
			defer small.Close()
			defer roomy.Close()
			for pos, tok := range []int32{3, 17, 5} {
				got, err := small.Forward([]int32{tok}, pos)
				if err != nil {
					t.Fatal(err)
				}
				want, err := roomy.Forward([]int32{tok}, pos)
				if err != nil {
					t.Fatal(err)
				}
				for i := range want {
					if math.Abs(float64(got[i]-want[i])) > 1e-5 {
						t.Fatalf("%v cache, position %d: logit %d = %g with 3 positions, %g with 64", kvType, pos, i, got[i], want[i])
					}
				}
			}
			if _, err := small.Forward([]int32{1}, 3); err == nil {
				t.Fatal("position 3 of a 3-position context: no error")
			}
		}
	})
}
