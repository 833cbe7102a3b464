package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/limnx/limnx/ggml/gguf"
)

// Token types of tokenizer.ggml.token_type (llama.cpp's llama_token_type).
const (
	tokenNormal      = 1
	tokenControl     = 3
	tokenUserDefined = 4
	tokenUnused      = 5
)

// hfTokenizer is the part of a Hugging Face tokenizer.json a byte-level BPE
// vocabulary needs.
type hfTokenizer struct {
	Model struct {
		Type   string            `json:"type"`
		Vocab  map[string]int    `json:"vocab"`
		Merges []json.RawMessage `json:"merges"` // "a b" or ["a", "b"]
	} `json:"model"`
	AddedTokens []struct {
		ID      int    `json:"id"`
		Content string `json:"content"`
		Special bool   `json:"special"`
	} `json:"added_tokens"`
	PostProcessor json.RawMessage `json:"post_processor"`
}

// hfConfig is the part of tokenizer_config.json the vocabulary needs. Special
// tokens may be strings or {"content": ...} objects.
type hfConfig struct {
	BOS          json.RawMessage `json:"bos_token"`
	EOS          json.RawMessage `json:"eos_token"`
	PAD          json.RawMessage `json:"pad_token"`
	UNK          json.RawMessage `json:"unk_token"`
	AddBOS       *bool           `json:"add_bos_token"`
	AddEOS       *bool           `json:"add_eos_token"`
	ChatTemplate json.RawMessage `json:"chat_template"`
}

// looksSpecial matches added tokens that are control tokens by their shape.
var looksSpecial = regexp.MustCompile(`^<\|.*\|>$`)

// vocabFromHF builds the tokenizer.* metadata of a byte-level BPE ("gpt2")
// vocabulary from a Hugging Face tokenizer directory (tokenizer.json and, if
// present, tokenizer_config.json) the way llama.cpp's convert_hf_to_gguf.py does:
// tokens in id order, ids without a token padded as "[PADn]" (UNUSED), added
// tokens CONTROL when marked special or shaped <|...|> and USER_DEFINED
// otherwise, everything else NORMAL; merges in rank order; special token ids
// and add_bos/add_eos from the config (or from the post-processor's template).
// pre is tokenizer.ggml.pre, the pre-tokenizer name llama.cpp selects by
// ("llama-bpe" for Llama 3, "qwen2" for Qwen2/3). nVocab pads the vocabulary
// (0: no padding beyond the largest id).
//
// ids overrides special token ids by kind ("bos", "eos", "unknown",
// "padding"), for ids that come from the model's config.json rather than the
// tokenizer's files.
func vocabFromHF(dir, pre string, nVocab int, ids map[string]int) ([]gguf.KV, error) {
	var tok hfTokenizer
	if err := readJSON(filepath.Join(dir, "tokenizer.json"), &tok); err != nil {
		return nil, err
	}
	if tok.Model.Type != "BPE" {
		return nil, fmt.Errorf("models: %s: model type %q, want BPE", dir, tok.Model.Type)
	}
	var cfg hfConfig
	if err := readJSON(filepath.Join(dir, "tokenizer_config.json"), &cfg); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}

	byID := map[int]string{}
	maxID := -1
	for s, id := range tok.Model.Vocab {
		if id < 0 {
			return nil, fmt.Errorf("models: %s: token %q has id %d", dir, s, id)
		}
		byID[id] = s
		maxID = max(maxID, id)
	}
	added := map[int]bool{}
	special := map[int]bool{}
	idOf := map[string]int{}
	for s, id := range tok.Model.Vocab {
		idOf[s] = id
	}
	for _, a := range tok.AddedTokens {
		if a.ID < 0 {
			return nil, fmt.Errorf("models: %s: added token %q has id %d", dir, a.Content, a.ID)
		}
		byID[a.ID] = a.Content
		idOf[a.Content] = a.ID
		added[a.ID] = true
		special[a.ID] = a.Special
		maxID = max(maxID, a.ID)
	}
	n := max(maxID+1, nVocab)
	if n > 1<<24 {
		return nil, fmt.Errorf("models: %s: %d tokens is not a vocabulary", dir, n)
	}
	tokens := make([]string, n)
	types := make([]int32, n)
	for id := range n {
		s, ok := byID[id]
		switch {
		case !ok:
			tokens[id], types[id] = fmt.Sprintf("[PAD%d]", id), tokenUnused
		case added[id] && (special[id] || looksSpecial.MatchString(s)):
			tokens[id], types[id] = s, tokenControl
		case added[id]:
			tokens[id], types[id] = strings.ReplaceAll(s, "\u2581", " "), tokenUserDefined
		default:
			tokens[id], types[id] = s, tokenNormal
		}
	}

	merges := make([]string, len(tok.Model.Merges))
	for i, raw := range tok.Model.Merges {
		var s string
		var pair []string
		switch {
		case json.Unmarshal(raw, &s) == nil:
			merges[i] = s
		case json.Unmarshal(raw, &pair) == nil && len(pair) == 2:
			merges[i] = pair[0] + " " + pair[1]
		default:
			return nil, fmt.Errorf("models: %s: merge %d is %s, want \"a b\" or [\"a\", \"b\"]", dir, i, raw)
		}
	}

	kvs := []gguf.KV{
		{Key: "tokenizer.ggml.model", Value: gguf.String("gpt2")},
		{Key: "tokenizer.ggml.pre", Value: gguf.String(pre)},
		{Key: "tokenizer.ggml.tokens", Value: gguf.Strings(tokens)},
		{Key: "tokenizer.ggml.token_type", Value: gguf.Numbers(types)},
		{Key: "tokenizer.ggml.merges", Value: gguf.Strings(merges)},
	}
	// Special ids, in gguf-py's SpecialVocab order.
	for _, sp := range []struct {
		key string
		raw json.RawMessage
	}{{"bos", cfg.BOS}, {"eos", cfg.EOS}, {"unknown", cfg.UNK}, {"padding", cfg.PAD}} {
		id, ok := ids[sp.key]
		if ok && (id < 0 || id >= n) {
			return nil, fmt.Errorf("models: %s token id %d outside the vocabulary (%d tokens)", sp.key, id, n)
		}
		if name := tokenName(sp.raw); !ok && name != "" {
			if id, ok = idOf[name]; !ok {
				return nil, fmt.Errorf("models: %s: %s token %q is not in the vocabulary", dir, sp.key, name)
			}
		}
		if !ok {
			continue
		}
		kvs = append(kvs, gguf.KV{Key: "tokenizer.ggml." + sp.key + "_token_id", Value: gguf.Uint32(uint32(id))})
	}
	addBOS, addEOS := cfg.AddBOS, cfg.AddEOS
	if addBOS == nil && addEOS == nil {
		addBOS, addEOS = templateAdds(tok.PostProcessor, tokenName(cfg.BOS), tokenName(cfg.EOS))
	}
	if addBOS != nil {
		kvs = append(kvs, gguf.KV{Key: "tokenizer.ggml.add_bos_token", Value: gguf.Bool(*addBOS)})
	}
	if addEOS != nil {
		kvs = append(kvs, gguf.KV{Key: "tokenizer.ggml.add_eos_token", Value: gguf.Bool(*addEOS)})
	}
	var tmpl string
	if len(cfg.ChatTemplate) > 0 && json.Unmarshal(cfg.ChatTemplate, &tmpl) == nil && tmpl != "" {
		kvs = append(kvs, gguf.KV{Key: "tokenizer.chat_template", Value: gguf.String(tmpl)})
	}
	return kvs, nil
}

// tokenName decodes a special token given as "text" or {"content": "text"}.
func tokenName(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Content string `json:"content"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Content
	}
	return ""
}

// templateAdds reads whether the post-processor's single-sequence template puts
// the BOS token first and the EOS token last (nil, nil without a template).
func templateAdds(raw json.RawMessage, bos, eos string) (addBOS, addEOS *bool) {
	type piece struct {
		SpecialToken *struct {
			ID string `json:"id"`
		} `json:"SpecialToken"`
	}
	type proc struct {
		Type       string  `json:"type"`
		Single     []piece `json:"single"`
		Processors []proc  `json:"processors"`
	}
	var p proc
	if json.Unmarshal(raw, &p) != nil {
		return nil, nil
	}
	procs := append([]proc{p}, p.Processors...)
	for _, q := range procs {
		if q.Type != "TemplateProcessing" || len(q.Single) == 0 {
			continue
		}
		first, last := q.Single[0].SpecialToken, q.Single[len(q.Single)-1].SpecialToken
		b := first != nil && first.ID == bos
		e := last != nil && last.ID == eos
		return &b, &e
	}
	return nil, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("models: %s: %w", path, err)
	}
	return nil
}

// writeVocab writes a vocabulary-only GGUF (no tensors): general.architecture,
// general.name and the tokenizer.* keys, like llama.cpp's ggml-vocab-*.gguf.
func writeVocab(path, arch, name string, kvs []gguf.KV) error {
	return writeFile(path, func(w *gguf.Writer) (*progress, error) {
		w.Set("general.architecture", gguf.String(arch))
		w.Set("general.name", gguf.String(name))
		for _, kv := range kvs {
			w.Set(kv.Key, kv.Value)
		}
		return newProgress(nil, 0, 0), nil
	})
}
