package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
)

const goldenDir = "../../testdata/golden"

// binary is the generate command built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "generate-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "generate")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runGenerate runs the built command and returns stdout, stderr and the
// exit status.
func runGenerate(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	}
	t.Fatal(err)
	return "", "", 0
}

func parseIDs(t *testing.T, line string) []int32 {
	t.Helper()
	var ids []int32
	for _, f := range strings.Fields(line) {
		n, err := strconv.ParseInt(f, 10, 32)
		if err != nil {
			t.Fatalf("bad id %q in %q", f, line)
		}
		ids = append(ids, int32(n))
	}
	return ids
}

type generateCase struct {
	Model     string  `json:"model"`
	Prompt    string  `json:"prompt"`
	PromptIDs []int32 `json:"prompt_ids"`
	F32KV     []int32 `json:"greedy_ids_f32kv_noflash"`
	Text      string  `json:"greedy_text"`
}

func goldenCases(t *testing.T, model string) []generateCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, "generate.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []generateCase
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var c generateCase
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatal(err)
		}
		if c.Model == model {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no generate.jsonl lines for %s", model)
	}
	return out
}

func TestTokensGreedy(t *testing.T) {
	for _, model := range []string{"qwen3-small-F32.gguf", "llama-small-F32.gguf", "qwen3-micro-Q5_0.gguf"} {
		for i, c := range goldenCases(t, model) {
			args := []string{"-m", filepath.Join(goldenDir, model), "-p", c.Prompt,
				"-n", strconv.Itoa(len(c.F32KV)), "--temp", "0", "--tokens", "--threads", "2", "--ignore-eos", "--kv-type", "f32"}
			if i%2 == 1 {
				args = append(args, "--no-mmap") // the copied weights give the same ids
			}
			stdout, stderr, code := runGenerate(t, "", args...)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", model, code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(lines) != 2 {
				t.Fatalf("%s: want 2 lines, got %q", model, stdout)
			}
			if got := parseIDs(t, lines[0]); !slices.Equal(got, c.PromptIDs) {
				t.Errorf("%s %q: prompt ids %v, want %v", model, c.Prompt, got, c.PromptIDs)
			}
			if got := parseIDs(t, lines[1]); !slices.Equal(got, c.F32KV) {
				t.Errorf("%s %q: generated ids %v, want %v", model, c.Prompt, got, c.F32KV)
			}
		}
	}
}

// TestKernelPaths runs greedy golden cases on the kernels chosen at
// start-up and on the Go ones forced by LIMNX_KERNELS=go; -v names them.
func TestKernelPaths(t *testing.T) {
	paths := []struct {
		name, env, info string
	}{
		{"default", "", "quant: "},
		{"LIMNX_KERNELS=go", quant.KernelsEnv + "=go", "Go reference kernels"},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for _, c := range goldenCases(t, "qwen3-micro-Q4_1.gguf") {
				cmd := exec.Command(binary, "-m", filepath.Join(goldenDir, c.Model), "-p", c.Prompt,
					"-n", strconv.Itoa(len(c.F32KV)), "--temp", "0", "--tokens", "--ignore-eos", "-v", "--kv-type", "f32")
				cmd.Env = os.Environ()
				if p.env != "" {
					cmd.Env = append(cmd.Env, p.env)
				}
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%v: %s", err, stderr.String())
				}
				if first, _, _ := strings.Cut(stderr.String(), "\n"); !strings.Contains(first, p.info) {
					t.Errorf("-v printed %q, want a kernel line containing %q", first, p.info)
				}
				lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
				if got := parseIDs(t, lines[len(lines)-1]); !slices.Equal(got, c.F32KV) {
					t.Errorf("%q: generated %v, want %v", c.Prompt, got, c.F32KV)
				}
			}
		})
	}
}

func TestTextContinuation(t *testing.T) {
	c := goldenCases(t, "qwen3-small-F32.gguf")[0]
	stdout, stderr, code := runGenerate(t, "", "-m", filepath.Join(goldenDir, c.Model), "-p", c.Prompt, "-n", "24", "--temp", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := c.Text + "\n"; stdout != want {
		t.Errorf("continuation %q, want %q", stdout, want)
	}
}

func TestSampledIsSeeded(t *testing.T) {
	args := []string{"-m", filepath.Join(goldenDir, "qwen3-micro-F16.gguf"), "-p", "Hello", "-n", "12", "--tokens",
		"--temp", "1.0", "--top-k", "50", "--top-p", "0.9", "--min-p", "0.01", "--repeat-penalty", "1.1"}
	a, errA, _ := runGenerate(t, "", append(args, "--seed", "5")...)
	b, _, _ := runGenerate(t, "", append(args, "--seed", "5")...)
	c, _, _ := runGenerate(t, "", append(args, "--seed", "6")...)
	if a == "" || a != b {
		t.Errorf("same seed, different output: %q vs %q (%s)", a, b, errA)
	}
	if a == c {
		t.Errorf("seeds 5 and 6 gave the same 12 tokens: %q", a)
	}
}

type tokenizeCase struct {
	Model        string  `json:"model"`
	Text         string  `json:"text"`
	AddBOS       bool    `json:"add_bos"`
	ParseSpecial bool    `json:"parse_special"`
	IDs          []int32 `json:"ids"`
}

func TestTokenize(t *testing.T) {
	f, err := os.Open(filepath.Join(goldenDir, "tokenize.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for i := 0; sc.Scan(); i++ {
		if i%13 != 0 { // every 13th line: 32 cases over both vocabularies and all flag combinations
			continue
		}
		var c tokenizeCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		args := []string{"-m", filepath.Join(goldenDir, c.Model), "-p", c.Text, "--tokenize"}
		if !c.AddBOS {
			args = append(args, "--no-bos")
		}
		if !c.ParseSpecial {
			args = append(args, "--no-parse-special")
		}
		stdout, stderr, code := runGenerate(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if got := parseIDs(t, stdout); !slices.Equal(got, c.IDs) {
			t.Errorf("%s %q bos=%v special=%v: %v, want %v", c.Model, c.Text, c.AddBOS, c.ParseSpecial, got, c.IDs)
		}
		n++
	}
	if n < 30 {
		t.Fatalf("checked only %d lines", n)
	}
}

func TestInteractiveErrorContinues(t *testing.T) {
	stdin := strings.Repeat("word ", 40) + "\nHello, my name is\n"
	stdout, stderr, code := runGenerate(t, stdin, "-m", filepath.Join(goldenDir, "qwen3-micro-BF16.gguf"), "--ctx", "16", "-n", "4", "--temp", "0", "--tokens")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "exceeds the context (16)") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line about the context", stderr)
	}
	if n := strings.Count(stdout, "prompt> "); n != 3 {
		t.Errorf("stdout %q: %d prompts, want 3", stdout, n)
	}
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); len(lines) != 3 {
		t.Errorf("stdout %q: want the second prompt's 2 lines of ids", stdout)
	}
}

func TestInteractive(t *testing.T) {
	cs := goldenCases(t, "llama-small-F32.gguf")
	stdin := cs[0].Prompt + "\n\n" + cs[1].Prompt + "\n"
	stdout, stderr, code := runGenerate(t, stdin, "-m", filepath.Join(goldenDir, "llama-small-F32.gguf"), "-n", "24", "--temp", "0", "--tokens", "--ignore-eos")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Each prompt> is followed by the prompt ids and the generated ids.
	parts := strings.Split(stdout, "prompt> ")
	var blocks []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			blocks = append(blocks, p)
		}
	}
	if len(blocks) != 2 || !strings.HasPrefix(stdout, "prompt> ") {
		t.Fatalf("want 2 answered prompts, got %q", stdout)
	}
	for i, b := range blocks {
		lines := strings.Split(strings.TrimSpace(b), "\n")
		if len(lines) != 2 {
			t.Fatalf("prompt %d: want 2 lines, got %q", i, b)
		}
		if got := parseIDs(t, lines[0]); !slices.Equal(got, cs[i].PromptIDs) {
			t.Errorf("prompt %d ids %v, want %v", i, got, cs[i].PromptIDs)
		}
		if got := parseIDs(t, lines[1]); !slices.Equal(got, cs[i].F32KV) {
			t.Errorf("prompt %d generated %v, want %v", i, got, cs[i].F32KV)
		}
	}
}

// rewrite copies the golden GGUF src to a temp file, changing it with edit.
func rewrite(t *testing.T, src string, edit func(name string, typ *quant.Type, data *[]byte), arch string) string {
	t.Helper()
	in, err := gguf.Open(filepath.Join(goldenDir, src))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	path := filepath.Join(t.TempDir(), "edited.gguf")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w := gguf.NewWriter(out)
	for _, kv := range in.KV {
		w.Set(kv.Key, kv.Value)
	}
	if arch != "" {
		w.Set("general.architecture", gguf.String(arch))
	}
	for i := range in.Tensors {
		ti := &in.Tensors[i]
		typ, data := ti.Type, in.TensorData(ti)
		if edit != nil {
			edit(ti.Name, &typ, &data)
		}
		if err := w.AddTensor(ti.Name, typ, ti.Dims, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.gguf")
	full, err := os.ReadFile(filepath.Join(goldenDir, "qwen3-micro-Q4_1.gguf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, full[:len(full)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	unknownArch := rewrite(t, "qwen3-micro-Q4_1.gguf", nil, "mamba")
	unsupported := rewrite(t, "qwen3-micro-Q4_1.gguf", func(name string, typ *quant.Type, data *[]byte) {
		if name == "blk.0.ffn_up.weight" {
			*typ = quant.I32
			*data = make([]byte, 32*64*4)
		}
	}, "")
	model := filepath.Join(goldenDir, "qwen3-micro-Q4_1.gguf")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"-m", filepath.Join(dir, "nope.gguf"), "-p", "hi"}, "nope.gguf"},
		{"no model flag", []string{"-p", "hi"}, "no model"},
		{"bad kv type", []string{"-m", model, "-p", "hi", "--kv-type", "q8_0"}, `--kv-type "q8_0": want f16 or f32`},
		{"unknown architecture", []string{"-m", unknownArch, "-p", "hi", "--temp", "0"}, `"mamba": unknown architecture`},
		{"unsupported type", []string{"-m", unsupported, "-p", "hi", "--temp", "0"}, `"blk.0.ffn_up.weight": type i32: unsupported`},
		{"truncated file", []string{"-m", truncated, "-p", "hi"}, "truncated.gguf"},
		{"vocab-only file cannot generate", []string{"-m", filepath.Join(goldenDir, "vocab-qwen3.gguf"), "-p", "hi"}, "embedding_length missing"},
		{"context too long", []string{"-m", model, "-p", "hi", "--ctx", "100000"}, "exceeds the model's 40960"},
		{"bad flag", []string{"-m", model, "--bogus"}, "bogus"},
		{"--fast is gone", []string{"-m", model, "-p", "hi", "--fast"}, "fast"},
		{"negative n", []string{"-m", model, "-p", "hi", "-n", "-3"}, "-n -3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runGenerate(t, "", tc.args...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (stdout %q, stderr %q)", code, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.want)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stderr looks like a panic: %q", stderr)
			}
			if strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr has %d lines, want 1: %q", strings.Count(stderr, "\n"), stderr)
			}
		})
	}
}

func TestStopsAtEndOfGeneration(t *testing.T) {
	// The second qwen3-small prompt's greedy continuation has <|endoftext|>
	// (4096, end-of-generation) at step 21.
	c := goldenCases(t, "qwen3-small-F32.gguf")[1]
	eog := slices.Index(c.F32KV, 4096)
	if eog < 0 {
		t.Fatalf("golden continuation has no 4096: %v", c.F32KV)
	}
	stdout, stderr, code := runGenerate(t, "", "-m", filepath.Join(goldenDir, c.Model), "-p", c.Prompt, "-n", "24", "--temp", "0", "--tokens")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if got := parseIDs(t, lines[len(lines)-1]); !slices.Equal(got, c.F32KV[:eog]) {
		t.Errorf("generated %v, want %v (stopping before the end-of-generation token)", got, c.F32KV[:eog])
	}
}

func TestHelp(t *testing.T) {
	_, stderr, code := runGenerate(t, "", "-h")
	if code != 0 || !strings.Contains(stderr, "-repeat-penalty") || !strings.Contains(stderr, "usage: generate") {
		t.Errorf("-h: exit %d, stderr %q", code, stderr)
	}
}
