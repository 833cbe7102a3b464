package tokenizer

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
)

// tinyBPE returns the metadata of a tiny byte-level vocabulary: the 256 byte
// characters, "ab", "Ġab" and "<|im_end|>", with merges "a b" and "Ġ ab".
func tinyBPE() map[string]gguf.Value {
	tokens := make([]string, 0, 259)
	for b := range 256 {
		tokens = append(tokens, byteString[b])
	}
	tokens = append(tokens, "ab", "Ġab", "<|im_end|>")
	types := make([]int32, len(tokens))
	for i := range types {
		types[i] = int32(TypeNormal)
	}
	types[258] = int32(TypeControl)
	return map[string]gguf.Value{
		keyModel:                      gguf.String("gpt2"),
		keyPre:                        gguf.String("qwen2"),
		keyTokens:                     gguf.Strings(tokens),
		keyTokenType:                  gguf.Numbers(types),
		keyMerges:                     gguf.Strings([]string{"a b", "Ġ ab"}),
		"tokenizer.ggml.eos_token_id": gguf.Uint32(258),
		keyAddBOS:                     gguf.Bool(false),
	}
}

// parseKV writes kv as a GGUF file in memory and parses it.
func parseKV(t *testing.T, kv map[string]gguf.Value) *gguf.File {
	t.Helper()
	var buf bytes.Buffer
	w := gguf.NewWriter(&buf)
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.Set(k, kv[k])
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

// TestFromGGUF builds a tokenizer from a synthetic GGUF file and encodes with it.
func TestFromGGUF(t *testing.T) {
	tok, err := FromGGUF(parseKV(t, tinyBPE()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tok.Encode("ab ab<|im_end|>", true, true), []int32{256, 257, 258}; !slices.Equal(got, want) {
		t.Errorf("Encode = %v, want %v", got, want)
	}
	if tok.EOS() != 258 || !tok.IsEOG(258) || tok.AddBOS() || tok.BOS() != 11 {
		t.Errorf("eos %d eog %v add_bos %v bos %d; want 258 true false 11 (gpt2 default)", tok.EOS(), tok.IsEOG(258), tok.AddBOS(), tok.BOS())
	}
}

// TestReadConfigErrors checks that tokenizer keys of the wrong type are errors.
func TestReadConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		key  string
		v    gguf.Value // the key's new value, unless del
		del  bool       // delete the key instead
	}{
		{"model missing", keyModel, gguf.Value{}, true},
		{"model not a string", keyModel, gguf.Uint32(1), false},
		{"tokens missing", keyTokens, gguf.Value{}, true},
		{"tokens not strings", keyTokens, gguf.Numbers([]int32{1, 2}), false},
		{"scores not numbers", keyScores, gguf.Strings([]string{"x"}), false},
		{"types not integers", keyTokenType, gguf.Numbers([]float32{1}), false},
		{"merges not strings", keyMerges, gguf.Numbers([]int32{1}), false},
		{"bos not an integer", "tokenizer.ggml.bos_token_id", gguf.String("1"), false},
		{"add_bos not a bool", keyAddBOS, gguf.Uint32(1), false},
		{"pre not a string", keyPre, gguf.Uint32(1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kv := tinyBPE()
			if tc.del {
				delete(kv, tc.key)
			} else {
				kv[tc.key] = tc.v
			}
			if _, err := FromGGUF(parseKV(t, kv)); !errors.Is(err, ErrBadConfig) {
				t.Errorf("FromGGUF: %v, want ErrBadConfig", err)
			}
		})
	}
}
