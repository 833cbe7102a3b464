package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
)

const golden = "../testdata/golden"

// smallVocab is a golden model whose tokenizer (4099 tokens) keeps test models small.
const smallVocab = golden + "/qwen3-micro-F16.gguf"

// goldenSpec returns the spec of the golden qwen3-small and llama-small models.
func goldenSpec(t *testing.T, name string) Spec {
	switch name {
	case "qwen3-small":
		s := presets["qwen3-small"]
		s.Vocab = golden + "/qwen3-small-F32.gguf"
		return s
	case "llama-small":
		return Spec{Arch: "llama", Name: "llama-small-random", NEmbd: 256, NLayer: 2, NFF: 768, NHead: 4, NHeadKV: 2,
			ContextLength: 4096, RopeBase: 1e4, RMSEps: 1e-5, Tied: true, Seed: 4321, Type: "f32",
			Vocab: golden + "/llama-small-F32.gguf"}
	}
	t.Fatalf("no golden spec %s", name)
	return Spec{}
}

// TestPlanMatchesGolden checks that the specs of the golden models give the same
// tensors (names, shapes), metadata values and, for every golden file, the same
// per-tensor types from our mixes as llama-quantize chose.
func TestPlanMatchesGolden(t *testing.T) {
	tests := []struct {
		spec, file, typ string
	}{
		{"qwen3-small", "qwen3-small-F32.gguf", "f32"},
		{"qwen3-small", "qwen3-small-Q8_0.gguf", "q8_0"},
		{"qwen3-small", "qwen3-small-Q4_0.gguf", "q4_0"},
		{"qwen3-small", "qwen3-small-Q2_K.gguf", "q2_K"},
		{"qwen3-small", "qwen3-small-Q3_K.gguf", "q3_K"},
		{"qwen3-small", "qwen3-small-Q4_K.gguf", "q4_K"},
		{"qwen3-small", "qwen3-small-Q5_K.gguf", "q5_K"},
		{"qwen3-small", "qwen3-small-Q6_K.gguf", "q6_K"},
		{"qwen3-small", "qwen3-small-Q4_K_M.gguf", "q4_K_M"},
		{"llama-small", "llama-small-F32.gguf", "f32"},
		{"llama-small", "llama-small-Q8_0.gguf", "q8_0"},
		{"llama-small", "llama-small-Q4_K_M.gguf", "q4_k_m"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			s := goldenSpec(t, tc.spec)
			s.Type = tc.typ
			if err := s.check(); err != nil {
				t.Fatal(err)
			}
			m, err := mixFor(tc.typ)
			if err != nil {
				t.Fatal(err)
			}
			g, err := gguf.Open(filepath.Join(golden, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			v, ok := g.Lookup("tokenizer.ggml.tokens")
			if !ok {
				t.Fatal("no tokenizer.ggml.tokens")
			}
			nVocab := v.Len()
			plan := s.tensors(nVocab)
			if len(plan) != len(g.Tensors) {
				t.Fatalf("%d tensors planned, golden has %d", len(plan), len(g.Tensors))
			}
			ctx := &mixContext{nLayer: s.NLayer, hasOutput: !s.Tied}
			for _, pt := range plan {
				gt, _, ok := g.Tensor(pt.name)
				if !ok {
					t.Errorf("%s: not in the golden file", pt.name)
					continue
				}
				if !equalDims(gt.Dims, pt.dims) {
					t.Errorf("%s: dims %v, golden %v", pt.name, pt.dims, gt.Dims)
				}
				if typ := m.typeFor(pt.name, pt.dims, ctx); typ != gt.Type {
					t.Errorf("%s: mix %s picks %v, llama-quantize chose %v", pt.name, m.name, typ, gt.Type)
				}
			}
			ft, _ := g.Uint("general.file_type")
			if uint64(m.fileType) != ft {
				t.Errorf("file type %d, golden %d", m.fileType, ft)
			}
			for _, kv := range s.metadata(nVocab, m.fileType) {
				gv, ok := g.Lookup(kv.Key)
				if !ok {
					t.Errorf("%s: not in the golden file", kv.Key)
					continue
				}
				if gv.String() != kv.Value.String() || gv.Type != kv.Value.Type {
					t.Errorf("%s = %v (%v), golden %v (%v)", kv.Key, kv.Value, kv.Value.Type, gv, gv.Type)
				}
			}
		})
	}
}

func equalDims(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// smallSpec is a quick model for round trips: rows of 256 so every type applies.
func smallSpec(arch, typ string, tied bool) Spec {
	return Spec{Arch: arch, Name: "test-" + arch, NEmbd: 256, NLayer: 2, NFF: 512, NHead: 4, NHeadKV: 2,
		HeadDim: 128, ContextLength: 1024, RopeBase: 1e4, RMSEps: 1e-6, Tied: tied, Seed: 42, Type: typ, Vocab: smallVocab}
}

// tensorValues dequantizes a whole tensor.
func tensorValues(t *testing.T, f *gguf.File, name string) []float32 {
	t.Helper()
	ti, data, ok := f.Tensor(name)
	if !ok {
		t.Fatalf("tensor %s missing", name)
	}
	out := make([]float32, ti.NumElements())
	if err := quant.Dequantize(ti.Type, data, out); err != nil {
		t.Fatalf("tensor %s: %v", name, err)
	}
	return out
}

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	vocab, err := gguf.Open(smallVocab)
	if err != nil {
		t.Fatal(err)
	}
	defer vocab.Close()
	for _, tc := range []struct {
		arch, typ string
		tied      bool
	}{
		{"qwen3", "f32", false},
		{"qwen2", "q4_K_M", true},
		{"llama", "q8_0", false},
	} {
		t.Run(tc.arch+"-"+tc.typ, func(t *testing.T) {
			s := smallSpec(tc.arch, tc.typ, tc.tied)
			path := filepath.Join(dir, tc.arch+".gguf")
			if err := generate(s, path, 2, nil); err != nil {
				t.Fatal(err)
			}
			f, err := gguf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, _ := mixFor(tc.typ)
			plan := s.tensors(4099)
			ctx := &mixContext{nLayer: s.NLayer, hasOutput: !s.Tied}
			if len(f.Tensors) != len(plan) {
				t.Fatalf("%d tensors, want %d", len(f.Tensors), len(plan))
			}
			for i, pt := range plan {
				ti := f.Tensors[i]
				if ti.Name != pt.name || !equalDims(ti.Dims, pt.dims) || ti.Type != m.typeFor(pt.name, pt.dims, ctx) {
					t.Errorf("tensor %d: %s %v %v, want %s %v %v", i, ti.Name, ti.Dims, ti.Type, pt.name, pt.dims, m.typeFor(pt.name, pt.dims, ctx))
				}
			}
			_, hasQNorm, _ := f.Tensor("blk.0.attn_q_norm.weight")
			_, hasBias, _ := f.Tensor("blk.1.attn_v.bias")
			_, hasOutput, _ := f.Tensor("output.weight")
			if len(hasQNorm) > 0 != (tc.arch == "qwen3") || len(hasBias) > 0 != (tc.arch == "qwen2") || len(hasOutput) > 0 == tc.tied {
				t.Errorf("q_norm %v bias %v output %v for %s tied=%v", hasQNorm != nil, hasBias != nil, hasOutput != nil, tc.arch, tc.tied)
			}
			if tc.typ == "q4_K_M" {
				if ti, _, _ := f.Tensor("token_embd.weight"); ti.Type != quant.Q6_K {
					t.Errorf("tied q4_K_M token_embd is %v, want q6_K", ti.Type)
				}
			}

			// Metadata: the spec's keys and the vocabulary's tokenizer keys, unchanged.
			for _, key := range []string{"general.architecture", tc.arch + ".block_count", tc.arch + ".embedding_length",
				tc.arch + ".attention.head_count_kv", tc.arch + ".rope.freq_base", "general.file_type"} {
				if _, ok := f.Lookup(key); !ok {
					t.Errorf("%s missing", key)
				}
			}
			if n, _ := f.Uint(tc.arch + ".feed_forward_length"); n != 512 {
				t.Errorf("feed_forward_length = %d", n)
			}
			if n, _ := f.Uint(tc.arch + ".attention.key_length"); n != 128 {
				t.Errorf("key_length = %d, want 128 (head_dim != n_embd/n_head)", n)
			}
			nTok := 0
			for _, kv := range vocab.KV {
				if !strings.HasPrefix(kv.Key, "tokenizer.") {
					continue
				}
				nTok++
				got, ok := f.Lookup(kv.Key)
				if !ok || got.Type != kv.Value.Type || got.String() != kv.Value.String() || got.Len() != kv.Value.Len() {
					t.Errorf("%s = %v, vocabulary has %v", kv.Key, got, kv.Value)
				}
			}
			tokens, _ := f.Strings("tokenizer.ggml.tokens")
			want, _ := vocab.Strings("tokenizer.ggml.tokens")
			if nTok < 5 || len(tokens) != 4099 || strings.Join(tokens, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("%d tokenizer keys, %d tokens differ from the vocabulary's", nTok, len(tokens))
			}

			// Values: norms 1.0, weights N(0, 0.02²).
			for _, name := range []string{"output_norm.weight", "blk.1.ffn_norm.weight"} {
				for _, x := range tensorValues(t, f, name) {
					if x != 1 {
						t.Fatalf("%s has %v, want 1.0", name, x)
					}
				}
			}
			for _, name := range []string{"token_embd.weight", "blk.0.attn_k.weight", "blk.1.ffn_down.weight"} {
				vals := tensorValues(t, f, name)
				mean, sd := stats(vals)
				if math.Abs(mean) > 0.002 || math.Abs(sd-0.02) > 0.002 {
					t.Errorf("%s: mean %.5f sd %.5f, want 0 and 0.02", name, mean, sd)
				}
			}
		})
	}
}

func stats(x []float32) (mean, sd float64) {
	var s, ss float64
	for _, v := range x {
		s += float64(v)
		ss += float64(v) * float64(v)
	}
	n := float64(len(x))
	return s / n, math.Sqrt(ss/n - (s/n)*(s/n))
}

// TestGenerateDeterministic writes the same spec with 1 and 3 threads and
// expects identical files.
func TestGenerateDeterministic(t *testing.T) {
	dir := t.TempDir()
	s := smallSpec("qwen3", "q4_0", false)
	a, b := filepath.Join(dir, "a.gguf"), filepath.Join(dir, "b.gguf")
	if err := generate(s, a, 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := generate(s, b, 3, nil); err != nil {
		t.Fatal(err)
	}
	ba, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if len(ba) == 0 || !bytes.Equal(ba, bb) {
		t.Errorf("1 thread and 3 threads gave different files (%d and %d bytes)", len(ba), len(bb))
	}
	s.Seed++
	if err := generate(s, b, 2, nil); err != nil {
		t.Fatal(err)
	}
	bb, _ = os.ReadFile(b)
	if bytes.Equal(ba, bb) {
		t.Error("a different seed gave the same file")
	}
}

// relTol bounds the RMS error of a conversion from F32, relative to the weights'
// standard deviation, per type. The data is seeded, so the errors are fixed; the
// worst tensor's error is 60-80% of these (q2_K 0.289, q3_K 0.154, q4_0 0.087,
// q4_K 0.072, q5_K 0.037, q6_K 0.018, q8_0 0.0054, bf16 0.0017, f16 0.0002).
var relTol = map[string]float64{
	"f32": 0, "f16": 0.0003, "bf16": 0.0025, "q8_0": 0.008, "q6_K": 0.025, "q5_K": 0.05, "q5_0": 0.055,
	"q5_1": 0.05, "q4_K": 0.095, "q4_K_M": 0.095, "q4_0": 0.11, "q4_1": 0.1, "q3_K": 0.2, "q2_K": 0.37,
}

func TestConvert(t *testing.T) {
	dir := t.TempDir()
	srcPath := filepath.Join(dir, "src.gguf")
	s := smallSpec("qwen3", "f32", false)
	if err := generate(s, srcPath, 2, nil); err != nil {
		t.Fatal(err)
	}
	src, err := gguf.Open(srcPath)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx := &mixContext{nLayer: s.NLayer, hasOutput: true}
	for _, typ := range strings.Fields(mixNames) {
		t.Run(typ, func(t *testing.T) {
			out := filepath.Join(dir, typ+".gguf")
			if err := convert(srcPath, out, typ, 2, nil); err != nil {
				t.Fatal(err)
			}
			f, err := gguf.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, _ := mixFor(typ)
			if ft, _ := f.Uint("general.file_type"); ft != uint64(m.fileType) {
				t.Errorf("general.file_type = %d, want %d", ft, m.fileType)
			}
			if len(f.KV) != len(src.KV) || len(f.Tensors) != len(src.Tensors) {
				t.Fatalf("%d kvs %d tensors, source has %d, %d", len(f.KV), len(f.Tensors), len(src.KV), len(src.Tensors))
			}
			var worst float64
			for i := range src.Tensors {
				st, ti := &src.Tensors[i], &f.Tensors[i]
				if ti.Name != st.Name || !equalDims(ti.Dims, st.Dims) {
					t.Fatalf("tensor %d: %s %v, source %s %v", i, ti.Name, ti.Dims, st.Name, st.Dims)
				}
				if want := m.typeFor(st.Name, st.Dims, ctx); ti.Type != want {
					t.Errorf("%s: %v, want %v", ti.Name, ti.Type, want)
				}
				a, b := tensorValues(t, src, st.Name), tensorValues(t, f, ti.Name)
				var se float64
				for k := range a {
					d := float64(a[k]) - float64(b[k])
					se += d * d
				}
				rel := math.Sqrt(se/float64(len(a))) / weightStd
				worst = max(worst, rel)
				if rel > relTol[typ] {
					t.Errorf("%s (%v): RMS error %.4f of the weights' sd, want <= %.4f", ti.Name, ti.Type, rel, relTol[typ])
				}
			}
			t.Logf("%s: worst relative RMS error %.4f", typ, worst)
		})
	}
}

// TestConvertFallback converts a golden model whose rows (32, 64) are not whole
// 256-blocks: K-quant picks fall back as llama.cpp's do, and the result opens.
func TestConvertFallback(t *testing.T) {
	out := filepath.Join(t.TempDir(), "micro.gguf")
	if err := convert(golden+"/qwen3-micro-F16.gguf", out, "q4_K_M", 1, nil); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]quant.Type{
		"token_embd.weight":      quant.Q8_0, // tied output matrix, row 32: Q8_0 as llama.cpp
		"blk.0.attn_q.weight":    quant.Q5_0, // Q4_K -> Q5_0
		"blk.0.ffn_down.weight":  quant.Q8_0, // layer 0 of 1 gets Q6_K -> Q8_0
		"blk.0.attn_norm.weight": quant.F32,
	}
	for name, typ := range want {
		if ti, _, ok := f.Tensor(name); !ok || ti.Type != typ {
			t.Errorf("%s: %v, want %v", name, ti, typ)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := smallSpec("gpt9", "f32", false)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"arch", generate(bad, filepath.Join(dir, "x"), 1, nil), "architecture"},
		{"type", run([]string{"gen", "-type", "q7_0", "-vocab", smallVocab, "-out", filepath.Join(dir, "y")}, nil, nil), "type"},
		{"preset", run([]string{"gen", "-preset", "gpt-5", "-out", filepath.Join(dir, "y")}, nil, nil), "preset"},
		{"vocab", run([]string{"gen", "-vocab", filepath.Join(dir, "none.gguf"), "-out", filepath.Join(dir, "y")}, nil, nil), "no such file"},
		{"heads", run([]string{"gen", "-n-head", "3", "-vocab", smallVocab, "-out", filepath.Join(dir, "y")}, nil, nil), "n_head"},
		{"convert input", convert(filepath.Join(dir, "none.gguf"), filepath.Join(dir, "z"), "q8_0", 1, nil), "no such file"},
		{"convert type", convert(smallVocab, filepath.Join(dir, "z"), "iq2_xxs", 1, nil), "type"},
		{"command", run([]string{"frobnicate"}, nil, nil), "unknown command"},
	}
	for _, tc := range tests {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, tc.err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed runs left files: %v", entries)
	}
}
