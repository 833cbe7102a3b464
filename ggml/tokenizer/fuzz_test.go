package tokenizer

import (
	"encoding/binary"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var (
	variantsOnce sync.Once
	variants     map[string]*Tokenizer // the Qwen3 vocabulary under each pre-tokenizer
	variantsErr  error
)

// preVariants returns the Qwen3 vocabulary with each implemented pre-tokenizer, so that
// every splitter is fuzzed (byte-level BPE round-trips whatever the splitter does).
func preVariants(t testing.TB) map[string]*Tokenizer {
	variantsOnce.Do(func() {
		cfg, err := configFromFile(goldenDir + "/vocab-qwen3.gguf")
		if err != nil {
			variantsErr = err
			return
		}
		variants = map[string]*Tokenizer{}
		for _, pre := range []string{"qwen2", "llama-bpe", "gpt-2", "default"} {
			c := cfg
			c.Pre = pre
			if variants[pre], err = New(c); err != nil {
				variantsErr = err
				return
			}
		}
	})
	if variantsErr != nil {
		t.Fatal(variantsErr)
	}
	return variants
}

func addSeeds(f *testing.F) {
	for _, s := range []string{"", " ", "Hello world", "<|im_start|>user\nhi<|im_end|>", "<think>x</think>",
		"\xE4\xBD", "\xC0\x80\xED\xA0\x80", "a\u200Bb\u0378\u3000", "'s 'S 're 1234567", "\r\n\t\v\f \u0085\u00A0",
		strings.Repeat("a", 3000), "▁ ▁▁<s></s><unk>"} {
		f.Add(s, true)
		f.Add(s, false)
	}
}

// FuzzEncode checks that Encode never panics, returns ids in range, and that byte-level
// BPE round-trips (Decode(Encode(s)) == s, with llama.cpp's U+FFFD for invalid UTF-8) and
// SentencePiece round-trips valid UTF-8 without "▁" (which decodes to a space).
func FuzzEncode(f *testing.F) {
	addSeeds(f)
	llama := loadVocab(f, "vocab-llama-spm.gguf")
	llamaSmall := loadVocab(f, "llama-small-F32.gguf")
	vs := preVariants(f)
	f.Fuzz(func(t *testing.T, s string, parseSpecial bool) {
		clean, _ := decodeText(s, nil)
		for pre, tok := range vs {
			ids := tok.Encode(s, false, parseSpecial)
			for _, id := range ids {
				if id < 0 || int(id) >= tok.VocabSize() {
					t.Fatalf("%s: id %d out of range", pre, id)
				}
			}
			if got := tok.Decode(ids); got != clean {
				t.Fatalf("%s parse_special=%v: Decode(Encode(%q)) = %q, want %q", pre, parseSpecial, s, got, clean)
			}
		}
		for _, tok := range []*Tokenizer{llama, llamaSmall} {
			ids := tok.Encode(s, true, parseSpecial)
			for _, id := range ids {
				if id < 0 || int(id) >= tok.VocabSize() {
					t.Fatalf("llama: id %d out of range", id)
				}
			}
		}
		// For invalid UTF-8, a lead byte before a space can swallow the first bytes of its
		// "▁" into one symbol, which then decodes as bytes (as in llama.cpp).
		if utf8.ValidString(s) && !strings.Contains(s, spaceMark) {
			if got := llama.Decode(llama.Encode(s, false, false)); got != s {
				t.Fatalf("llama: Decode(Encode(%q)) = %q", s, got)
			}
		}
	})
}

// FuzzDecode checks that decoding any ids (in range or not) never panics and that the
// streaming Decoder yields valid UTF-8 adding up to the pieces when they are valid.
func FuzzDecode(f *testing.F) {
	for _, ids := range [][]int32{{}, {0}, {-1, 1 << 30}, {151645, 220, 151643}, {3 + 0xE4, 3 + 0xBD, 3 + 0xA0}, {128247, 151935}} {
		b := make([]byte, 4*len(ids))
		for i, id := range ids {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(id))
		}
		f.Add(b)
	}
	toks := []*Tokenizer{loadVocab(f, "vocab-qwen3.gguf"), loadVocab(f, "vocab-llama-spm.gguf"),
		loadVocab(f, "qwen3-small-F32.gguf"), loadVocab(f, "llama-small-F32.gguf")}
	f.Fuzz(func(t *testing.T, data []byte) {
		ids := make([]int32, len(data)/4)
		for i := range ids {
			v := int32(binary.LittleEndian.Uint32(data[4*i:]))
			if v >= 0 {
				v %= 160000 // mostly in range, some just past the end
			}
			ids[i] = v
		}
		for _, tok := range toks {
			_ = tok.Decode(ids)
			var raw, streamed []byte
			d := tok.NewDecoder()
			for _, id := range ids {
				raw = append(raw, tok.TokenToPiece(id)...)
				step := d.Next(id)
				if !utf8.ValidString(step) {
					t.Fatalf("Next(%d) = %q: not valid UTF-8", id, step)
				}
				streamed = append(streamed, step...)
			}
			streamed = append(streamed, d.Flush()...)
			if utf8.Valid(raw) && string(raw) != string(streamed) {
				t.Fatalf("streamed %q, pieces %q", streamed, raw)
			}
		}
	})
}
