package tokenizer

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

type promptCase struct {
	Model     string  `json:"model"`
	Prompt    string  `json:"prompt"`
	PromptIDs []int32 `json:"prompt_ids"`
}

// TestGoldenPromptIDs checks the prompt ids of generate.jsonl and logits.jsonl, made by
// llama_tokenize(add_special = true, parse_special = true) with each model's own
// truncated vocabulary (qwen3-small/micro: 4099 tokens, llama-small: 4096 pieces).
func TestGoldenPromptIDs(t *testing.T) {
	cases := append(readJSONL[promptCase](t, "generate.jsonl"), readJSONL[promptCase](t, "logits.jsonl")...)
	if len(cases) != 51+17 {
		t.Fatalf("%d prompt cases, want 68", len(cases))
	}
	for _, c := range cases {
		tok := loadVocab(t, c.Model)
		if got := tok.Encode(c.Prompt, true, true); !slices.Equal(got, c.PromptIDs) {
			t.Errorf("%s %q:\n got %v\nwant %v", c.Model, c.Prompt, got, c.PromptIDs)
		}
	}
}

// TestSpecialIDs checks the special ids and end-of-generation sets llama.cpp reports
// for the golden vocabularies (README, "Things a reimplementer must know").
func TestSpecialIDs(t *testing.T) {
	tests := []struct {
		file                string
		vocab               int
		bos, eos, eot, pad  int32
		addBOS              bool
		eog                 []int32
		controlByText       int32 // a token made CONTROL by its text, or -1
		controlByTextString string
	}{
		{"vocab-qwen3.gguf", 151936, 151643, 151645, 151645, 151643, false,
			[]int32{128247, 151643, 151645, 151662, 151663, 151664}, 128247, "</s>"},
		{"qwen3-small-F32.gguf", 4099, 4096, 4098, 4098, 4096, false, []int32{4096, 4098}, -1, ""},
		{"vocab-llama-spm.gguf", 32000, 1, 2, -1, -1, true, []int32{2}, -1, ""},
		{"llama-small-F32.gguf", 4096, 1, 2, -1, -1, true, []int32{2}, -1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			tok := loadVocab(t, tc.file)
			if tok.VocabSize() != tc.vocab || tok.BOS() != tc.bos || tok.EOS() != tc.eos ||
				tok.EOT() != tc.eot || tok.PAD() != tc.pad || tok.AddBOS() != tc.addBOS || tok.AddEOS() {
				t.Errorf("vocab %d bos %d eos %d eot %d pad %d add_bos %v add_eos %v; want %d %d %d %d %d %v false",
					tok.VocabSize(), tok.BOS(), tok.EOS(), tok.EOT(), tok.PAD(), tok.AddBOS(), tok.AddEOS(),
					tc.vocab, tc.bos, tc.eos, tc.eot, tc.pad, tc.addBOS)
			}
			if got := tok.EOGs(); !slices.Equal(got, tc.eog) {
				t.Errorf("EOG set %v, want %v", got, tc.eog)
			}
			for _, id := range tc.eog {
				if !tok.IsEOG(id) {
					t.Errorf("IsEOG(%d) = false", id)
				}
			}
			if tok.IsEOG(0) || tok.IsEOG(-1) || tok.IsEOG(int32(tc.vocab)) {
				t.Error("IsEOG true for an ordinary or out-of-range id")
			}
			if tc.controlByText >= 0 {
				if tok.Type(tc.controlByText) != TypeControl || tok.Text(tc.controlByText) != tc.controlByTextString {
					t.Errorf("token %d: type %d text %q, want CONTROL %q", tc.controlByText,
						tok.Type(tc.controlByText), tok.Text(tc.controlByText), tc.controlByTextString)
				}
			}
		})
	}
}

// goldenTexts returns the distinct strings of tokenize.jsonl.
func goldenTexts(t *testing.T) []string {
	var texts []string
	for _, c := range readJSONL[tokenizeCase](t, "tokenize.jsonl") {
		if !slices.Contains(texts, c.Text) {
			texts = append(texts, c.Text)
		}
	}
	if len(texts) != 52 {
		t.Fatalf("%d distinct strings, want 52", len(texts))
	}
	return texts
}

// TestRoundTrip checks Decode(Encode(s)) == s on the golden strings: for the Qwen3
// vocabulary with and without special-token parsing (special tokens render as their
// text), for the Llama vocabulary without it (the prepended space is dropped again).
func TestRoundTrip(t *testing.T) {
	qwen := loadVocab(t, "vocab-qwen3.gguf")
	llama := loadVocab(t, "vocab-llama-spm.gguf")
	for _, s := range goldenTexts(t) {
		for _, parse := range []bool{false, true} {
			if got := qwen.Decode(qwen.Encode(s, false, parse)); got != s {
				t.Errorf("qwen3 parse_special=%v: Decode(Encode(%q)) = %q", parse, s, got)
			}
		}
		if got := llama.Decode(llama.Encode(s, false, false)); got != s {
			t.Errorf("llama: Decode(Encode(%q)) = %q", s, got)
		}
		// With BOS the first piece is "<s>" and the space prepended to the text stays.
		if got, want := llama.Decode(llama.Encode(s, true, false)), "<s>"+prefixSpace(s); got != want {
			t.Errorf("llama with BOS: Decode(Encode(%q)) = %q, want %q", s, got, want)
		}
	}
}

func prefixSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// TestLlamaSpaceAfterSpecial pins llama.cpp's rule for SentencePiece models: a space is
// prepended to the first text fragment and to every fragment that follows a special
// token (the README says "first fragment only"; llama.cpp's ids say otherwise).
func TestLlamaSpaceAfterSpecial(t *testing.T) {
	tok := loadVocab(t, "vocab-llama-spm.gguf")
	ids := tok.Encode(" <s> spaced </s> ", false, true)
	if want := []int32{259, 1, 29871, 26325, 287, 29871, 2, 259}; !slices.Equal(ids, want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	if got, want := tok.Decode(ids), " <s>  spaced </s>  "; got != want {
		t.Errorf("Decode = %q, want %q", got, want)
	}
}

// TestTokenToPiece checks rendering of each token kind.
func TestTokenToPiece(t *testing.T) {
	qwen := loadVocab(t, "vocab-qwen3.gguf")
	llama := loadVocab(t, "vocab-llama-spm.gguf")
	tests := []struct {
		name string
		tok  *Tokenizer
		id   int32
		want string
	}{
		{"qwen byte-level space", qwen, 220, " "},
		{"qwen control", qwen, 151645, "<|im_end|>"},
		{"qwen user-defined", qwen, qwen.ids["<think>"], "<think>"},
		{"qwen unused pad", qwen, 151935, ""},
		{"qwen out of range", qwen, 151936, ""},
		{"qwen negative", qwen, -1, ""},
		{"llama unknown", llama, 0, "<unk>"},
		{"llama control", llama, 1, "<s>"},
		{"llama byte", llama, 3 + 0xE4, "\xE4"},
		{"llama space mark", llama, 29871, " "},
		{"llama word", llama, llama.ids["▁Hello"], " Hello"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(tc.tok.TokenToPiece(tc.id)); got != tc.want {
				t.Errorf("TokenToPiece(%d) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}

// TestDecoderSplitUTF8 feeds tokens that split UTF-8 sequences and checks that the
// Decoder holds the bytes back until the character is complete.
func TestDecoderSplitUTF8(t *testing.T) {
	qwen := loadVocab(t, "vocab-qwen3.gguf")
	byteID := func(b byte) int32 { return qwen.ids[byteString[b]] } // "gpt2": one token per byte
	llama := loadVocab(t, "llama-small-F32.gguf")
	tests := []struct {
		name  string
		tok   *Tokenizer
		ids   []int32
		steps []string // Next's result after each id
		flush string
	}{
		{"qwen 3-byte char in 3 tokens", qwen, []int32{byteID(0xE4), byteID(0xBD), byteID(0xA0)}, []string{"", "", "你"}, ""},
		{"qwen 4-byte emoji then ascii", qwen, []int32{byteID(0xF0), byteID(0x9F), byteID(0x98), byteID(0x80), byteID('a')},
			[]string{"", "", "", "😀", "a"}, ""},
		{"qwen stray continuation byte", qwen, []int32{byteID(0x80), byteID('x')}, []string{"\uFFFD", "x"}, ""},
		{"qwen lead byte then ascii", qwen, []int32{byteID(0xE4), byteID('x')}, []string{"", "\uFFFDx"}, ""},
		{"qwen incomplete at end", qwen, []int32{byteID('a'), byteID(0xE4), byteID(0xBD)}, []string{"a", "", ""}, "\uFFFD\uFFFD"},
		{"llama byte tokens", llama, []int32{3 + 0xE2, 3 + 0x96, 3 + 0x81}, []string{"", "", "▁"}, ""},
		{"qwen special token between", qwen, []int32{byteID(0xE4), 151645}, []string{"", "\uFFFD<|im_end|>"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.tok.NewDecoder()
			for i, id := range tc.ids {
				if got := d.Next(id); got != tc.steps[i] {
					t.Errorf("step %d: Next(%d) = %q, want %q", i, id, got, tc.steps[i])
				}
			}
			if got := d.Flush(); got != tc.flush {
				t.Errorf("Flush = %q, want %q", got, tc.flush)
			}
		})
	}
}

// TestDecoderStream decodes every golden string token by token: each step is valid
// UTF-8 and the steps add up to the whole text. (Not llama-small: it lacks the "▁"
// piece, so a lone space is encoded as the bytes of U+2581 and decodes to "▁", as in
// llama.cpp.)
func TestDecoderStream(t *testing.T) {
	for _, file := range []string{"vocab-qwen3.gguf", "qwen3-small-F32.gguf", "vocab-llama-spm.gguf"} {
		tok := loadVocab(t, file)
		for _, s := range goldenTexts(t) {
			ids := tok.Encode(s, false, false)
			d := tok.NewDecoder()
			var sb strings.Builder
			for _, id := range ids {
				step := d.Next(id)
				if !utf8.ValidString(step) {
					t.Fatalf("%s %q: step %q is not valid UTF-8", file, s, step)
				}
				sb.WriteString(step)
			}
			sb.WriteString(d.Flush())
			want := s
			if tok.spm && s != "" {
				want = " " + s // the streaming decoder keeps the prepended space
			}
			if sb.String() != want {
				t.Errorf("%s: streamed %q, want %q", file, sb.String(), want)
			}
		}
	}
}

// TestSmallVocabFallback checks what the truncated vocabularies do with text they lack:
// digits become byte tokens in llama-small and a space before a digit the three byte
// tokens of U+2581 (README); qwen3-small splits "hi" into "h" "i".
func TestSmallVocabFallback(t *testing.T) {
	llama := loadVocab(t, "llama-small-F32.gguf")
	if got, want := llama.Encode("a 4", false, false), []int32{llama.ids["▁a"], 229, 153, 132, 55}; !slices.Equal(got, want) {
		t.Errorf("llama-small %q: %v, want %v", "a 4", got, want)
	}
	qwen := loadVocab(t, "qwen3-small-F32.gguf")
	if got, want := qwen.Encode("hi", false, false), []int32{qwen.ids["h"], qwen.ids["i"]}; !slices.Equal(got, want) {
		t.Errorf("qwen3-small %q: %v, want %v", "hi", got, want)
	}
}

// TestEncodeAddSpecial checks BOS/EOS handling against add_bos/add_eos.
func TestEncodeAddSpecial(t *testing.T) {
	yes, no := true, false
	base := Config{Model: "llama", Tokens: []string{"<unk>", "<s>", "</s>", "▁a", "a", "▁"}, Scores: []float32{0, 0, 0, 1, 0, 0}}
	tests := []struct {
		name           string
		addBOS, addEOS *bool
		want           []int32
	}{
		{"defaults", nil, nil, []int32{1, 3}},
		{"no bos", &no, nil, []int32{3}},
		{"bos and eos", &yes, &yes, []int32{1, 3, 2}},
		{"eos only", &no, &yes, []int32{3, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.AddBOS, cfg.AddEOS = tc.addBOS, tc.addEOS
			tok, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.Encode("a", true, true); !slices.Equal(got, tc.want) {
				t.Errorf("Encode(a, addSpecial) = %v, want %v", got, tc.want)
			}
			if got := tok.Encode("a", false, true); !slices.Equal(got, []int32{3}) {
				t.Errorf("Encode(a, no addSpecial) = %v, want [3]", got)
			}
		})
	}
}

// TestNewErrors checks that bad metadata gives errors, not panics.
func TestNewErrors(t *testing.T) {
	five := uint32(5)
	yes := true
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{"no tokens", Config{Model: "gpt2", Merges: []string{}}, ErrBadConfig},
		{"unknown model", Config{Model: "bert", Tokens: []string{"a"}}, ErrUnsupported},
		{"unknown pre", Config{Model: "gpt2", Pre: "nonesuch", Tokens: []string{"a"}, Merges: []string{}}, ErrUnsupported},
		{"gpt2 without merges", Config{Model: "gpt2", Pre: "qwen2", Tokens: []string{"a"}}, ErrBadConfig},
		{"duplicate token", Config{Model: "llama", Tokens: []string{"a", "a"}}, ErrBadConfig},
		{"short scores", Config{Model: "llama", Tokens: []string{"a", "b"}, Scores: []float32{0}}, ErrBadConfig},
		{"short types", Config{Model: "llama", Tokens: []string{"a", "b"}, Types: []int32{1}}, ErrBadConfig},
		{"add_bos without bos", Config{Model: "gpt2", Pre: "qwen2", Tokens: []string{"a"}, Merges: []string{}, AddBOS: &yes, BOS: &five}, ErrBadConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if !errors.Is(err, tc.want) {
				t.Errorf("New: %v, want %v", err, tc.want)
			}
		})
	}
}
