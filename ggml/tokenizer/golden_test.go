package tokenizer

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
)

// goldenDir is the repository's copy of llama.cpp's reference files.
const goldenDir = "../../testdata/golden"

var (
	vocabMu    sync.Mutex
	vocabCache = map[string]*Tokenizer{}
)

// loadVocab returns the tokenizer of a golden GGUF file (cached across tests).
func loadVocab(t testing.TB, name string) *Tokenizer {
	t.Helper()
	vocabMu.Lock()
	defer vocabMu.Unlock()
	if tok, ok := vocabCache[name]; ok {
		return tok
	}
	tok, err := loadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	vocabCache[name] = tok
	return tok
}

func loadFile(path string) (*Tokenizer, error) {
	f, err := gguf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return FromGGUF(f)
}

// configFromFile reads the tokenizer metadata of a GGUF file.
func configFromFile(path string) (Config, error) {
	f, err := gguf.Open(path)
	if err != nil {
		return Config{}, err
	}
	defer f.Close()
	return ReadConfig(f)
}

// readJSONL decodes every line of a golden .jsonl file into a T.
func readJSONL[T any](t testing.TB, name string) []T {
	t.Helper()
	f, err := os.Open(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type tokenizeCase struct {
	Model        string  `json:"model"`
	Text         string  `json:"text"`
	AddBOS       bool    `json:"add_bos"`
	ParseSpecial bool    `json:"parse_special"`
	IDs          []int32 `json:"ids"`
}

// TestGoldenTokenize checks every line of tokenize.jsonl: llama-tokenize's ids for 52
// strings, two vocabularies, with and without BOS and special-token parsing.
func TestGoldenTokenize(t *testing.T) {
	checkGoldenTokenize(t)
}

// TestGoldenTokenizeHeapOnly repeats TestGoldenTokenize with every BPE word merged by
// mergeLong (the heap), which otherwise only sees words longer than shortWord bytes.
func TestGoldenTokenizeHeapOnly(t *testing.T) {
	shortWordLimit = 0
	defer func() { shortWordLimit = shortWord }()
	checkGoldenTokenize(t)
}

func checkGoldenTokenize(t *testing.T) {
	cases := readJSONL[tokenizeCase](t, "tokenize.jsonl")
	if len(cases) != 416 {
		t.Fatalf("tokenize.jsonl: %d lines, want 416", len(cases))
	}
	failed := 0
	for i, c := range cases {
		tok := loadVocab(t, c.Model)
		got := tok.Encode(c.Text, c.AddBOS, c.ParseSpecial)
		if !slices.Equal(got, c.IDs) {
			failed++
			if failed <= 20 {
				t.Errorf("line %d %s %q add_bos=%v parse_special=%v:\n got %v\nwant %v",
					i+1, c.Model, c.Text, c.AddBOS, c.ParseSpecial, got, c.IDs)
			}
		}
	}
	t.Logf("%d of %d lines equal", len(cases)-failed, len(cases))
}
