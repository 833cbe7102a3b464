package gguf

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
)

// goldenDir is the repository's copy of llama.cpp's reference files.
const goldenDir = "../../testdata/golden"

// typeByName maps tensors.txt's type names to ggml types.
var typeByName = map[string]quant.Type{
	"F32": quant.F32, "F16": quant.F16, "BF16": quant.BF16,
	"Q4_0": quant.Q4_0, "Q4_1": quant.Q4_1, "Q5_0": quant.Q5_0, "Q5_1": quant.Q5_1, "Q8_0": quant.Q8_0,
	"Q2_K": quant.Q2_K, "Q3_K": quant.Q3_K, "Q4_K": quant.Q4_K, "Q5_K": quant.Q5_K, "Q6_K": quant.Q6_K,
}

// goldenFile is one file's section of tensors.txt.
type goldenFile struct {
	name     string
	fileType string // "None" or a number
	size     int64
	tensors  []TensorInfo // Name, Type, Dims only
}

// readTensorsTxt parses tensors.txt.
func readTensorsTxt(t *testing.T) []goldenFile {
	t.Helper()
	fd, err := os.Open(filepath.Join(goldenDir, "tensors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	var files []goldenFile
	sc := bufio.NewScanner(fd)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			// ## qwen3-small-F32.gguf  (general.file_type = 0, 16394848 bytes, 25 tensors)
			f := strings.Fields(line)
			size, err := strconv.ParseInt(f[5], 10, 64)
			if err != nil {
				t.Fatalf("tensors.txt: %q: %v", line, err)
			}
			files = append(files, goldenFile{name: f[1], fileType: strings.TrimSuffix(f[4], ","), size: size})
		case strings.HasPrefix(line, "#") || line == "":
		default:
			f := strings.Split(line, "\t")
			if len(f) != 3 || len(files) == 0 {
				t.Fatalf("tensors.txt: bad line %q", line)
			}
			typ, ok := typeByName[f[1]]
			if !ok {
				t.Fatalf("tensors.txt: unknown type in %q", line)
			}
			var dims []uint64
			for _, s := range strings.Split(strings.Trim(f[2], "[]"), ", ") {
				d, err := strconv.ParseUint(s, 10, 64)
				if err != nil {
					t.Fatalf("tensors.txt: %q: %v", line, err)
				}
				dims = append(dims, d)
			}
			last := &files[len(files)-1]
			last.tensors = append(last.tensors, TensorInfo{Name: f[0], Type: typ, Dims: dims})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(files) < 19 {
		t.Fatalf("tensors.txt lists %d files, want at least 19", len(files))
	}
	return files
}

// TestGoldenTensors opens every GGUF in testdata/golden and compares its tensor
// infos, in file order, with tensors.txt.
func TestGoldenTensors(t *testing.T) {
	for _, g := range readTensorsTxt(t) {
		t.Run(g.name, func(t *testing.T) {
			path := filepath.Join(goldenDir, g.name)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Size() != g.size {
				t.Errorf("size %d, tensors.txt says %d", st.Size(), g.size)
			}
			f, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Version != 3 || f.Alignment != 32 {
				t.Errorf("version %d alignment %d, want 3 and 32", f.Version, f.Alignment)
			}
			if len(f.Tensors) != len(g.tensors) {
				t.Fatalf("%d tensors, want %d", len(f.Tensors), len(g.tensors))
			}
			var end uint64
			for i, want := range g.tensors {
				got := f.Tensors[i]
				if got.Name != want.Name || got.Type != want.Type || !equalDims(got.Dims, want.Dims) {
					t.Errorf("tensor %d: %s %d %v, want %s %d %v", i, got.Name, got.Type, got.Dims, want.Name, want.Type, want.Dims)
				}
				ti, data, ok := f.Tensor(want.Name)
				if !ok || ti != &f.Tensors[i] || uint64(len(data)) != ti.Size {
					t.Errorf("Tensor(%q) = %v, %d bytes, %v", want.Name, ti, len(data), ok)
				}
				end = max(end, got.Offset+got.Size)
			}
			// llama.cpp writes the data section packed: it ends with the last tensor.
			if len(g.tensors) > 0 && uint64(f.DataOffset)+end != uint64(st.Size()) {
				t.Errorf("data section ends at %d, file has %d bytes", uint64(f.DataOffset)+end, st.Size())
			}
			ft, hasFT := f.Uint("general.file_type")
			if g.fileType == "None" {
				if hasFT {
					t.Errorf("general.file_type = %d, want absent", ft)
				}
			} else if strconv.FormatUint(ft, 10) != g.fileType {
				t.Errorf("general.file_type = %d (%v), want %s", ft, hasFT, g.fileType)
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

// TestGoldenMetadata checks metadata keys the golden README documents.
func TestGoldenMetadata(t *testing.T) {
	type want struct {
		key string
		val any // string, uint64, float64, bool, or int for an array length
	}
	tests := []struct {
		file string
		keys []want
	}{
		{"qwen3-small-F32.gguf", []want{
			{"general.architecture", "qwen3"}, {"general.type", "model"},
			{"qwen3.block_count", uint64(2)}, {"qwen3.context_length", uint64(40960)},
			{"qwen3.embedding_length", uint64(256)}, {"qwen3.feed_forward_length", uint64(768)},
			{"qwen3.attention.head_count", uint64(4)}, {"qwen3.attention.head_count_kv", uint64(2)},
			{"qwen3.attention.key_length", uint64(128)}, {"qwen3.attention.value_length", uint64(128)},
			{"qwen3.rope.freq_base", 1e6}, {"qwen3.attention.layer_norm_rms_epsilon", float64(float32(1e-6))},
			{"general.quantization_version", uint64(2)},
			{"tokenizer.ggml.model", "gpt2"}, {"tokenizer.ggml.pre", "qwen2"},
			{"tokenizer.ggml.bos_token_id", uint64(4096)}, {"tokenizer.ggml.eos_token_id", uint64(4098)},
			{"tokenizer.ggml.add_bos_token", false},
			{"tokenizer.ggml.tokens", 4099}, {"tokenizer.ggml.token_type", 4099}, {"tokenizer.ggml.merges", 3840},
		}},
		{"llama-small-Q4_K_M.gguf", []want{
			{"general.architecture", "llama"}, {"llama.block_count", uint64(2)},
			{"llama.vocab_size", uint64(4096)}, {"llama.rope.dimension_count", uint64(64)},
			{"llama.rope.freq_base", 1e4}, {"llama.attention.layer_norm_rms_epsilon", float64(float32(1e-5))},
			{"llama.context_length", uint64(4096)},
			{"tokenizer.ggml.model", "llama"}, {"tokenizer.ggml.bos_token_id", uint64(1)},
			{"tokenizer.ggml.add_bos_token", true}, {"tokenizer.ggml.add_eos_token", false},
			{"tokenizer.ggml.tokens", 4096}, {"tokenizer.ggml.scores", 4096},
		}},
		{"qwen3-micro-BF16.gguf", []want{
			{"qwen3.embedding_length", uint64(32)}, {"qwen3.block_count", uint64(1)},
			{"qwen3.attention.key_length", uint64(16)},
		}},
		{"vocab-qwen3.gguf", []want{
			{"general.architecture", "qwen3"}, {"tokenizer.ggml.model", "gpt2"},
			{"tokenizer.ggml.pre", "qwen2"}, {"tokenizer.ggml.bos_token_id", uint64(151643)},
			{"tokenizer.ggml.eos_token_id", uint64(151645)}, {"tokenizer.ggml.padding_token_id", uint64(151643)},
			{"tokenizer.ggml.add_bos_token", false},
			{"tokenizer.ggml.tokens", 151936}, {"tokenizer.ggml.token_type", 151936},
			{"tokenizer.ggml.merges", 151387},
		}},
		{"vocab-llama-spm.gguf", []want{
			{"tokenizer.ggml.model", "llama"}, {"tokenizer.ggml.pre", "default"},
			{"tokenizer.ggml.bos_token_id", uint64(1)}, {"tokenizer.ggml.eos_token_id", uint64(2)},
			{"tokenizer.ggml.unknown_token_id", uint64(0)},
			{"tokenizer.ggml.tokens", 32000}, {"tokenizer.ggml.scores", 32000}, {"tokenizer.ggml.token_type", 32000},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := Open(filepath.Join(goldenDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, ok := f.Lookup(KeyAlignment); ok {
				t.Errorf("%s present; README says absent", KeyAlignment)
			}
			for _, w := range tc.keys {
				v, ok := f.Lookup(w.key)
				if !ok {
					t.Errorf("%s: missing", w.key)
					continue
				}
				var got any
				var okGet bool
				switch w.val.(type) {
				case string:
					got, okGet = f.String(w.key)
				case uint64:
					got, okGet = f.Uint(w.key)
				case float64:
					got, okGet = f.Float(w.key)
				case bool:
					got, okGet = f.Bool(w.key)
				case int:
					got, okGet = v.Len(), v.Type == TypeArray
				}
				if !okGet || got != w.val {
					t.Errorf("%s = %v (%v, type %s), want %v", w.key, got, okGet, v.Type, w.val)
				}
			}
		})
	}
}

// TestGoldenArrays decodes the big vocabulary arrays and checks known entries.
func TestGoldenArrays(t *testing.T) {
	f, err := Open(filepath.Join(goldenDir, "vocab-qwen3.gguf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tokens, ok := f.Strings("tokenizer.ggml.tokens")
	if !ok || len(tokens) != 151936 {
		t.Fatalf("tokens: %d, %v", len(tokens), ok)
	}
	for id, want := range map[int]string{151643: "<|endoftext|>", 151645: "<|im_end|>", 128247: "</s>", 0: "!"} {
		if tokens[id] != want {
			t.Errorf("token %d = %q, want %q", id, tokens[id], want)
		}
	}
	types, ok := f.Int32s("tokenizer.ggml.token_type")
	if !ok || len(types) != len(tokens) || types[151643] != 3 || types[0] != 1 || types[151935] != 5 {
		t.Errorf("token_type: len %d ok %v; [0]=%d [151643]=%d [151935]=%d, want 1, 3, 5",
			len(types), ok, types[0], types[151643], types[151935])
	}
	if _, ok := f.Float32s("tokenizer.ggml.token_type"); ok {
		t.Error("Float32s accepted an i32 array")
	}
	merges, ok := f.Strings("tokenizer.ggml.merges")
	if !ok || len(merges) != 151387 || strings.Count(merges[0], " ") != 1 {
		t.Errorf("merges: %d, %v, first %q", len(merges), ok, merges[0])
	}

	spm, err := Open(filepath.Join(goldenDir, "vocab-llama-spm.gguf"))
	if err != nil {
		t.Fatal(err)
	}
	defer spm.Close()
	scores, ok := spm.Float32s("tokenizer.ggml.scores")
	if !ok || len(scores) != 32000 {
		t.Fatalf("scores: %d, %v", len(scores), ok)
	}
	if scores[0] != 0 || scores[1000] >= 0 {
		t.Errorf("scores[0] = %v, scores[1000] = %v; want 0 and negative", scores[0], scores[1000])
	}
}

// TestGoldenData checks that tensor views land on the right bytes: in the F32
// model every norm weight is 1.0 and every matrix is N(0, 0.02²).
func TestGoldenData(t *testing.T) {
	f, err := Open(filepath.Join(goldenDir, "qwen3-small-F32.gguf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := range f.Tensors {
		ti := &f.Tensors[i]
		data := f.TensorData(ti)
		n := len(data) / 4
		var sum, sumSq float64
		for k := range n {
			x := float64(math.Float32frombits(uint32(data[4*k]) | uint32(data[4*k+1])<<8 | uint32(data[4*k+2])<<16 | uint32(data[4*k+3])<<24))
			sum += x
			sumSq += x * x
		}
		mean, sd := sum/float64(n), math.Sqrt(sumSq/float64(n)-(sum/float64(n))*(sum/float64(n)))
		if strings.HasSuffix(ti.Name, "norm.weight") {
			if mean != 1 || sd != 0 {
				t.Errorf("%s: mean %v sd %v, want all 1.0", ti.Name, mean, sd)
			}
		} else if math.Abs(mean) > 0.001 || math.Abs(sd-0.02) > 0.001 {
			t.Errorf("%s: mean %v sd %v, want N(0, 0.02²)", ti.Name, mean, sd)
		}
	}
}

// TestGoldenRewrite copies every golden file through Writer (metadata values and
// tensor data as read) and expects the same bytes: llama.cpp and Writer lay the
// file out the same way.
func TestGoldenRewrite(t *testing.T) {
	for _, name := range []string{"qwen3-small-Q4_K_M.gguf", "llama-small-Q8_0.gguf", "qwen3-micro-Q5_1.gguf", "vocab-llama-spm.gguf"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(goldenDir, name)
			f, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var buf bytes.Buffer
			w := NewWriter(&buf)
			for _, kv := range f.KV {
				w.Set(kv.Key, kv.Value)
			}
			for i := range f.Tensors {
				ti := &f.Tensors[i]
				if err := w.AddTensor(ti.Name, ti.Type, ti.Dims, f.TensorData(ti)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			if len(f.Tensors) == 0 && len(got) > len(orig) && len(got)-len(orig) < f.Alignment &&
				!bytes.ContainsFunc(got[len(orig):], func(r rune) bool { return r != 0 }) {
				// vocab-llama-spm.gguf ends right after its metadata; Writer pads the
				// (empty) data section's start to the alignment, as gguf-py does.
				got = got[:len(orig)]
			}
			if !bytes.Equal(got, orig) {
				n := 0
				for n < min(len(orig), len(got)) && orig[n] == got[n] {
					n++
				}
				t.Errorf("rewritten file (%d bytes) differs from the original (%d bytes) at offset %d", buf.Len(), len(orig), n)
			}
		})
	}
}

// BenchmarkOpen opens (maps and parses) the 16 MB F32 model and the 151936-token
// vocabulary.
func BenchmarkOpen(b *testing.B) {
	for _, name := range []string{"qwen3-small-F32.gguf", "vocab-qwen3.gguf"} {
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(goldenDir, name)
			for b.Loop() {
				f, err := Open(path)
				if err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}
