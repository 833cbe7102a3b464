package tokenizer

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// words runs split on s and returns the words.
func words(split splitter, s string) []string {
	cpts := []rune(s)
	cls := make([]class, len(cpts))
	for i, r := range cpts {
		cls[i] = classify(r)
	}
	var out []string
	pos := 0
	for _, n := range split(cpts, cls, nil) {
		out = append(out, string(cpts[pos:pos+n]))
		pos += n
	}
	return out
}

// TestSplitters checks the pre-tokenizers on the edge cases of their expressions. The
// expected words follow from the expressions by hand (leftmost alternative first,
// greedy with backtracking).
func TestSplitters(t *testing.T) {
	tests := []struct {
		name  string
		split splitter
		in    string
		want  []string
	}{
		{"qwen2 words", splitQwen2, "Hello world", []string{"Hello", " world"}},
		{"qwen2 space runs", splitQwen2, "  Hello  world  ", []string{" ", " Hello", " ", " world", "  "}},
		{"qwen2 one digit each", splitQwen2, "a12345", []string{"a", "1", "2", "3", "4", "5"}},
		{"qwen2 decimal", splitQwen2, "3.14", []string{"3", ".", "1", "4"}},
		{"qwen2 contraction", splitQwen2, "I'm", []string{"I", "'m"}},
		{"qwen2 upper contraction", splitQwen2, "YOU'RE", []string{"YOU", "'RE"}},
		{"qwen2 mixed contraction", splitQwen2, "they'Ll", []string{"they", "'Ll"}},
		{"qwen2 apostrophe alone", splitQwen2, "rock 'n' roll", []string{"rock", " '", "n", "'", " roll"}},
		{"qwen2 curly apostrophe", splitQwen2, "’s x", []string{"’s", " x"}},
		{"qwen2 crlf run", splitQwen2, "a\r\n\r\nb", []string{"a", "\r\n\r\n", "b"}},
		{"qwen2 spaces then newline", splitQwen2, "x  \n y", []string{"x", "  \n", " y"}},
		{"qwen2 punct then newlines", splitQwen2, "hi!!!\n\nyo", []string{"hi", "!!!\n\n", "yo"}},
		{"qwen2 tabs", splitQwen2, "\t\tfoo", []string{"\t", "\tfoo"}},
		{"qwen2 lone tab before punct", splitQwen2, "\t!", []string{"\t", "!"}},
		{"qwen2 trailing spaces", splitQwen2, "a   ", []string{"a", "   "}},
		{"qwen2 combining mark", splitQwen2, "e\u0301x", []string{"e", "\u0301x"}},
		{"qwen2 cjk and digits", splitQwen2, "数字123", []string{"数字", "1", "2", "3"}},
		{"qwen2 emoji after space", splitQwen2, " 😀!", []string{" 😀!"}},
		{"qwen2 zero width space", splitQwen2, "a\u200Bb", []string{"a", "\u200Bb"}},
		{"qwen2 no-break space", splitQwen2, "a\u00A0b", []string{"a", "\u00A0b"}},
		{"qwen2 ideographic space run", splitQwen2, "a\u3000\u3000b", []string{"a", "\u3000", "\u3000b"}},
		{"qwen2 superscript digit", splitQwen2, "x²", []string{"x", "²"}},
		{"qwen2 unassigned joins punct", splitQwen2, "\u0378!", []string{"\u0378!"}},
		{"qwen2 empty", splitQwen2, "", nil},

		{"llama3 three digits", splitLlama3, "a1234567", []string{"a", "123", "456", "7"}},
		{"llama3 unassigned alone", splitLlama3, "\u0378!", []string{"\u0378", "!"}},
		{"llama3 contraction", splitLlama3, "DON'T", []string{"DON", "'T"}},

		{"gpt2 words", splitGPT2, "Hello world", []string{"Hello", " world"}},
		{"gpt2 contraction", splitGPT2, "it's", []string{"it", "'s"}},
		{"gpt2 upper contraction", splitGPT2, "YOU'RE", []string{"YOU", "'", "RE"}},
		{"gpt2 numbers", splitGPT2, "123 4567", []string{"123", " 4567"}},
		{"gpt2 spaces", splitGPT2, "  a  ", []string{" ", " a", "  "}},
		{"gpt2 tabs", splitGPT2, "\t\tfoo", []string{"\t", "\t", "foo"}},
		{"gpt2 newline", splitGPT2, "a\nb", []string{"a", "\n", "b"}},
		{"gpt2 punct", splitGPT2, "a, b!?", []string{"a", ",", " b", "!?"}},

		{"default chain", splitDefault, "Hello, world! 12345", []string{"Hello", ",", " world", "!", " ", "123", "45"}},
		{"default digits3 gap", splitDefault, "ab1234x", []string{"ab", "123", "4", "x"}},
		{"default symbols", splitDefault, "a+=b", []string{"a", "+=", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := words(tc.split, tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestDecodeText checks llama.cpp's permissive UTF-8 decoding of invalid input.
func TestDecodeText(t *testing.T) {
	tests := []struct {
		in, clean string
		cpts      []rune
	}{
		{"abc", "abc", []rune("abc")},
		{"é😀", "é😀", []rune("é😀")},
		{"a\x80b", "a\uFFFDb", []rune("a\uFFFDb")},
		{"\xE4\xBD", "\uFFFD\uFFFD", []rune{0xFFFD, 0xFFFD}},
		{"\xC0\x80", "\x00", []rune{0}},                  // overlong: accepted, re-encoded short
		{"\xED\xA0\x80", "\xED\xA0\x80", []rune{0xD800}}, // surrogate: accepted as is
		{"\xF7\xBF\xBF\xBF", "\uFFFD", []rune{0xFFFD}},   // above U+10FFFF
	}
	for _, tc := range tests {
		clean, cpts := decodeText(tc.in, nil)
		if clean != tc.clean || !slices.Equal(cpts, tc.cpts) {
			t.Errorf("decodeText(%q) = %q %U, want %q %U", tc.in, clean, cpts, tc.clean, tc.cpts)
		}
	}
}

// TestByteAlphabet checks GPT-2's byte <-> rune table.
func TestByteAlphabet(t *testing.T) {
	if byteRune[' '] != 'Ġ' || byteRune['\n'] != 'Ċ' || byteRune['a'] != 'a' || byteRune[0xFF] != 'ÿ' || byteRune[0xAD] != 0x143 {
		t.Errorf("byteRune: space %U newline %U a %U 0xFF %U 0xAD %U", byteRune[' '], byteRune['\n'], byteRune['a'], byteRune[0xFF], byteRune[0xAD])
	}
	seen := map[rune]bool{}
	for b := 0; b < 256; b++ {
		r := byteRune[b]
		if seen[r] || runeByte[r] != int16(b) {
			t.Fatalf("byte %#x: rune %U not a bijection", b, r)
		}
		seen[r] = true
	}
}

// TestSplittersAgainstRegex compares the splitters with the pre-tokenizer expressions
// run by Python's regex module on 800 random strings of edge-case characters
// (testdata/pretokenize.jsonl, written by testdata/pretokenize.py).
func TestSplittersAgainstRegex(t *testing.T) {
	b, err := os.ReadFile("testdata/pretokenize.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var c struct {
			Text   string   `json:"text"`
			Qwen2  []string `json:"qwen2"`
			Llama3 []string `json:"llama3"`
			GPT2   []string `json:"gpt2"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("pretokenize.jsonl: %v", err)
		}
		for _, tc := range []struct {
			name  string
			split splitter
			want  []string
		}{{"qwen2", splitQwen2, c.Qwen2}, {"llama3", splitLlama3, c.Llama3}, {"gpt2", splitGPT2, c.GPT2}} {
			if got := words(tc.split, c.Text); !slices.Equal(got, tc.want) {
				t.Errorf("%s %q: got %q, want %q", tc.name, c.Text, got, tc.want)
			}
		}
		n++
	}
	if n != 800 {
		t.Errorf("%d cases, want 800", n)
	}
}
