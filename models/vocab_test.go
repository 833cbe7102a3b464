package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
)

// tinyTokenizer is a tokenizer.json with a gap (id 5), added tokens of each
// kind and merges in both spellings.
const tinyTokenizer = `{
  "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "Ġ": 3, "Ġab": 4},
            "merges": ["a b", ["Ġ", "ab"]]},
  "added_tokens": [
    {"id": 6, "content": "<|end|>", "special": true},
    {"id": 7, "content": "<|tool|>", "special": false},
    {"id": 8, "content": "<think>", "special": false},
    {"id": 9, "content": "[MASK]", "special": true}
  ],
  "post_processor": {"type": "Sequence", "processors": [
    {"type": "ByteLevel"},
    {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<|end|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]}
  ]}
}`

func TestVocabFromHF(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte(tinyTokenizer), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := `{"bos_token": {"content": "<|end|>"}, "eos_token": "<|end|>", "pad_token": null, "chat_template": "{{ x }}"}`
	if err := os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	kvs, err := vocabFromHF(dir, "llama-bpe", 12, map[string]int{"padding": 5})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "v.gguf")
	if err := writeVocab(path, "llama", "tiny", kvs); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if len(f.Tensors) != 0 {
		t.Errorf("%d tensors in a vocabulary file", len(f.Tensors))
	}
	tokens, _ := f.Strings("tokenizer.ggml.tokens")
	wantTokens := []string{"a", "b", "ab", "Ġ", "Ġab", "[PAD5]", "<|end|>", "<|tool|>", "<think>", "[MASK]", "[PAD10]", "[PAD11]"}
	if !reflect.DeepEqual(tokens, wantTokens) {
		t.Errorf("tokens %q, want %q", tokens, wantTokens)
	}
	types, _ := f.Int32s("tokenizer.ggml.token_type")
	wantTypes := []int32{1, 1, 1, 1, 1, 5, 3, 3, 4, 3, 5, 5}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("types %v, want %v", types, wantTypes)
	}
	merges, _ := f.Strings("tokenizer.ggml.merges")
	if !reflect.DeepEqual(merges, []string{"a b", "Ġ ab"}) {
		t.Errorf("merges %q", merges)
	}
	for key, want := range map[string]uint64{"tokenizer.ggml.bos_token_id": 6, "tokenizer.ggml.eos_token_id": 6, "tokenizer.ggml.padding_token_id": 5} {
		if got, ok := f.Uint(key); !ok || got != want {
			t.Errorf("%s = %d, %v; want %d", key, got, ok, want)
		}
	}
	if _, ok := f.Lookup("tokenizer.ggml.unknown_token_id"); ok {
		t.Error("unknown_token_id written without an unk token")
	}
	addBOS, ok1 := f.Bool("tokenizer.ggml.add_bos_token")
	addEOS, ok2 := f.Bool("tokenizer.ggml.add_eos_token")
	if !ok1 || !ok2 || !addBOS || addEOS {
		t.Errorf("add_bos %v (%v) add_eos %v (%v), want true and false from the template", addBOS, ok1, addEOS, ok2)
	}
	if s, _ := f.String("tokenizer.chat_template"); s != "{{ x }}" {
		t.Errorf("chat template %q", s)
	}
	if s, _ := f.String("tokenizer.ggml.pre"); s != "llama-bpe" {
		t.Errorf("pre %q", s)
	}

	// Errors: a special token missing from the vocabulary, an id override
	// outside it, a non-BPE model, a missing file.
	os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(`{"eos_token": "<nope>"}`), 0o644)
	if _, err := vocabFromHF(dir, "x", 0, nil); err == nil || !strings.Contains(err.Error(), "<nope>") {
		t.Errorf("missing eos token: %v", err)
	}
	os.Remove(filepath.Join(dir, "tokenizer_config.json"))
	if _, err := vocabFromHF(dir, "x", 0, map[string]int{"bos": 99}); err == nil || !strings.Contains(err.Error(), "99") {
		t.Errorf("bos 99: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte(`{"model": {"type": "Unigram"}}`), 0o644)
	if _, err := vocabFromHF(dir, "x", 0, nil); err == nil || !strings.Contains(err.Error(), "Unigram") {
		t.Errorf("unigram: %v", err)
	}
	if _, err := vocabFromHF(filepath.Join(dir, "none"), "x", 0, nil); err == nil {
		t.Error("missing directory accepted")
	}
}

// TestPresetVocabularies opens each preset's vocabulary and checks its size.
func TestPresetVocabularies(t *testing.T) {
	want := map[string]struct {
		n   int
		pre string
	}{
		"models/testdata/vocab-llama3.gguf": {128256, "llama-bpe"},
		"testdata/golden/vocab-qwen3.gguf":  {151936, "qwen2"},
	}
	for _, name := range presetNames() {
		p := presets[name]
		if err := p.check(); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
		w, ok := want[p.Vocab]
		if !ok {
			t.Errorf("preset %s: unexpected vocabulary %s", name, p.Vocab)
			continue
		}
		kvs, n, err := vocabulary(filepath.Join("..", p.Vocab))
		if err != nil {
			t.Fatalf("preset %s: %v", name, err)
		}
		pre := ""
		for _, kv := range kvs {
			if kv.Key == "tokenizer.ggml.pre" {
				pre, _ = kv.Value.AsString()
			}
		}
		if n != w.n || pre != w.pre {
			t.Errorf("preset %s: %d tokens, pre %q; want %d, %q", name, n, pre, w.n, w.pre)
		}
	}
}
