package tokenizer

import (
	"fmt"
	"strings"
	"testing"
)

// paragraph returns the ~2 KB mixed paragraph of tokenize.jsonl (its longest string).
func paragraph(b *testing.B) string {
	var p string
	for _, c := range readJSONL[tokenizeCase](b, "tokenize.jsonl") {
		if len(c.Text) > len(p) {
			p = c.Text
		}
	}
	return p
}

// BenchmarkEncode encodes the 2 KB golden paragraph with the Qwen3 vocabulary (byte-level
// BPE, qwen2 pre-tokenizer, special-token parsing on).
func BenchmarkEncode(b *testing.B) {
	tok := loadVocab(b, "vocab-qwen3.gguf")
	p := paragraph(b)
	b.SetBytes(int64(len(p)))
	b.ResetTimer()
	for b.Loop() {
		tok.Encode(p, true, true)
	}
}

// BenchmarkEncodeSPM encodes the same paragraph with the Llama SentencePiece vocabulary.
func BenchmarkEncodeSPM(b *testing.B) {
	tok := loadVocab(b, "vocab-llama-spm.gguf")
	p := paragraph(b)
	b.SetBytes(int64(len(p)))
	b.ResetTimer()
	for b.Loop() {
		tok.Encode(p, true, true)
	}
}

// BenchmarkEncodeLongRun encodes 4 KiB and 64 KiB of one letter, a single word for the
// pre-tokenizer: equal MB/s for both sizes shows that merging is not quadratic.
func BenchmarkEncodeLongRun(b *testing.B) {
	for _, name := range []string{"vocab-qwen3.gguf", "vocab-llama-spm.gguf"} {
		tok := loadVocab(b, name)
		for _, n := range []int{4 << 10, 64 << 10} {
			s := strings.Repeat("a", n)
			b.Run(fmt.Sprintf("%s/%dKiB", name, n>>10), func(b *testing.B) {
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					tok.Encode(s, false, false)
				}
			})
		}
	}
}

// BenchmarkEncodeLongText encodes the paragraph repeated to 2 KiB and 128 KiB: equal
// MB/s shows that special-token partitioning and pre-tokenizing are linear.
func BenchmarkEncodeLongText(b *testing.B) {
	tok := loadVocab(b, "vocab-qwen3.gguf")
	p := paragraph(b)
	for _, reps := range []int{1, 64} {
		s := strings.Repeat(p+"<|im_end|>", reps)
		b.Run(fmt.Sprintf("%dKiB", len(s)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				tok.Encode(s, false, true)
			}
		})
	}
}

// BenchmarkLoadQwen3 opens vocab-qwen3.gguf (5.9 MB, 151936 tokens, 151387 merges) and
// builds its tokenizer: what loading the vocabulary costs, end to end.
func BenchmarkLoadQwen3(b *testing.B) {
	for b.Loop() {
		if _, err := loadFile(goldenDir + "/vocab-qwen3.gguf"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewQwen3 builds the 151936-token Qwen3 tokenizer (151387 merges) from its
// decoded metadata: the tokenizer's share of loading a model.
func BenchmarkNewQwen3(b *testing.B) {
	cfg, err := configFromFile(goldenDir + "/vocab-qwen3.gguf")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecoder streams the ids of the paragraph through a Decoder.
func BenchmarkDecoder(b *testing.B) {
	tok := loadVocab(b, "vocab-qwen3.gguf")
	p := paragraph(b)
	ids := tok.Encode(p, false, false)
	b.SetBytes(int64(len(p)))
	b.ResetTimer()
	for b.Loop() {
		d := tok.NewDecoder()
		for _, id := range ids {
			d.Next(id)
		}
	}
}
