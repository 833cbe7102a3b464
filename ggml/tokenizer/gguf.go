package tokenizer

import (
	"fmt"
	"math"

	"github.com/limnx/limnx/ggml/gguf"
)

// GGUF metadata keys read by ReadConfig.
const (
	keyModel          = "tokenizer.ggml.model"
	keyPre            = "tokenizer.ggml.pre"
	keyTokens         = "tokenizer.ggml.tokens"
	keyScores         = "tokenizer.ggml.scores"
	keyTokenType      = "tokenizer.ggml.token_type"
	keyMerges         = "tokenizer.ggml.merges"
	keyAddBOS         = "tokenizer.ggml.add_bos_token"
	keyAddEOS         = "tokenizer.ggml.add_eos_token"
	keyAddSpacePrefix = "tokenizer.ggml.add_space_prefix"
)

// FromGGUF builds the tokenizer described by f's tokenizer.ggml.* metadata. The
// tokenizer keeps no reference to f, which may be closed afterwards.
func FromGGUF(f *gguf.File) (*Tokenizer, error) {
	cfg, err := ReadConfig(f)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// ReadConfig decodes f's tokenizer.ggml.* metadata into a Config (copies, valid after
// f is closed). Keys of the wrong type are errors; absent optional keys stay nil.
func ReadConfig(f *gguf.File) (Config, error) {
	var c Config
	var ok bool
	if c.Model, ok = f.String(keyModel); !ok {
		return c, fmt.Errorf("%w: %s missing or not a string", ErrBadConfig, keyModel)
	}
	if _, present := f.Lookup(keyPre); present {
		if c.Pre, ok = f.String(keyPre); !ok {
			return c, fmt.Errorf("%w: %s is not a string", ErrBadConfig, keyPre)
		}
	}
	if c.Tokens, ok = f.Strings(keyTokens); !ok {
		return c, fmt.Errorf("%w: %s missing or not an array of strings", ErrBadConfig, keyTokens)
	}
	if _, present := f.Lookup(keyScores); present {
		if c.Scores, ok = f.Float32s(keyScores); !ok {
			ints, iok := f.Int32s(keyScores) // llama.cpp also accepts int32 scores
			if !iok {
				return c, fmt.Errorf("%w: %s is not an array of f32 or i32", ErrBadConfig, keyScores)
			}
			c.Scores = make([]float32, len(ints))
			for i, v := range ints {
				c.Scores[i] = float32(v)
			}
		}
	}
	if _, present := f.Lookup(keyTokenType); present {
		if c.Types, ok = f.Int32s(keyTokenType); !ok {
			return c, fmt.Errorf("%w: %s is not an array of integers", ErrBadConfig, keyTokenType)
		}
	}
	if _, present := f.Lookup(keyMerges); present {
		if c.Merges, ok = f.Strings(keyMerges); !ok {
			return c, fmt.Errorf("%w: %s is not an array of strings", ErrBadConfig, keyMerges)
		}
	}
	for _, s := range []struct {
		keys []string // the current key, then deprecated ones
		dst  **uint32
	}{
		{[]string{"tokenizer.ggml.bos_token_id"}, &c.BOS},
		{[]string{"tokenizer.ggml.eos_token_id"}, &c.EOS},
		{[]string{"tokenizer.ggml.eot_token_id"}, &c.EOT},
		{[]string{"tokenizer.ggml.eom_token_id"}, &c.EOM},
		{[]string{"tokenizer.ggml.unknown_token_id"}, &c.UNK},
		{[]string{"tokenizer.ggml.seperator_token_id"}, &c.SEP}, // sic, llama.cpp's spelling
		{[]string{"tokenizer.ggml.padding_token_id"}, &c.PAD},
		{[]string{"tokenizer.ggml.mask_token_id"}, &c.Mask},
		{[]string{"tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.prefix_token_id"}, &c.FIMPre},
		{[]string{"tokenizer.ggml.fim_suf_token_id", "tokenizer.ggml.suffix_token_id"}, &c.FIMSuf},
		{[]string{"tokenizer.ggml.fim_mid_token_id", "tokenizer.ggml.middle_token_id"}, &c.FIMMid},
		{[]string{"tokenizer.ggml.fim_pad_token_id"}, &c.FIMPad},
		{[]string{"tokenizer.ggml.fim_rep_token_id"}, &c.FIMRep},
		{[]string{"tokenizer.ggml.fim_sep_token_id"}, &c.FIMSep},
	} {
		for _, key := range s.keys {
			if _, present := f.Lookup(key); !present {
				continue
			}
			v, ok := f.Uint(key)
			if !ok {
				return c, fmt.Errorf("%w: %s is not a non-negative integer", ErrBadConfig, key)
			}
			id := uint32(min(v, math.MaxUint32)) // out of range: New ignores it
			*s.dst = &id
			break
		}
	}
	for _, s := range []struct {
		key string
		dst **bool
	}{
		{keyAddBOS, &c.AddBOS}, {keyAddEOS, &c.AddEOS}, {keyAddSpacePrefix, &c.AddSpacePrefix},
	} {
		if _, present := f.Lookup(s.key); !present {
			continue
		}
		v, ok := f.Bool(s.key)
		if !ok {
			return c, fmt.Errorf("%w: %s is not a bool", ErrBadConfig, s.key)
		}
		*s.dst = &v
	}
	return c, nil
}
