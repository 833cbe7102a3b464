package model

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/ggml/sample"
)

// goldenDir holds llama.cpp's reference outputs (see its README.md).
const goldenDir = "../../testdata/golden"

// marginRule is the README's threshold: a greedy step whose top-1/top-2
// margin (in llama.cpp's run) is below it may flip under tiny numeric
// differences, and everything after a flip may differ.
const marginRule = 2e-2

type generateCase struct {
	Model     string    `json:"model"`
	Prompt    string    `json:"prompt"`
	PromptIDs []int32   `json:"prompt_ids"`
	NPredict  int       `json:"n_predict"`
	Margins   []float64 `json:"greedy_margins"`
	F32KV     []int32   `json:"greedy_ids_f32kv_noflash"`
}

type logitsCase struct {
	Model     string       `json:"model"`
	PromptIDs []int32      `json:"prompt_ids"`
	Mean      float64      `json:"mean"`
	RMS       float64      `json:"rms"`
	Top10F32  [][2]float64 `json:"top10_f32kv_noflash"`
	Top10     [][2]float64 `json:"top10"` // llama.cpp's default run: F16 KV cache, flash attention
}

func readJSONL[T any](t *testing.T, name string) []T {
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
	if len(out) == 0 {
		t.Fatalf("%s: no lines", name)
	}
	return out
}

// loadGolden maps and loads a golden model; the file is closed at the end
// of the test.
func loadGolden(t testing.TB, name string) *Model {
	t.Helper()
	f, err := gguf.Open(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	m, err := Load(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// exactFile reports whether greedy ids must match for every step: F32
// models (computed like llama.cpp's F32-KV run up to float rounding) and
// qwen3-micro, whose margins are all >= 0.16.
func exactFile(name string) bool {
	return strings.Contains(name, "-F32") || strings.HasPrefix(name, "qwen3-micro")
}

// generate feeds prompt as one batch, then decodes greedily, returning n
// ids; the last id is not fed back.
func generate(t testing.TB, s *State, prompt []int32, n int) []int32 {
	t.Helper()
	logits, err := s.Forward(prompt, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []int32
	pos := len(prompt)
	for {
		tok := sample.Greedy(logits)
		out = append(out, tok)
		if len(out) == n {
			return out
		}
		if logits, err = s.Forward([]int32{tok}, pos); err != nil {
			t.Fatal(err)
		}
		pos++
	}
}

// TestGoldenGenerate checks greedy continuations against llama.cpp's
// F32-KV run, on the Go reference kernels and on the fast ones.
func TestGoldenGenerate(t *testing.T) { onBothPaths(t, goldenGenerate) }

func goldenGenerate(t *testing.T) {
	cases := readJSONL[generateCase](t, "generate.jsonl")
	models := map[string]*Model{}
	full, total := 0, 0
	for _, tc := range cases {
		m := models[tc.Model]
		if m == nil {
			m = loadGolden(t, tc.Model)
			models[tc.Model] = m
		}
		total++
		want := tc.F32KV
		s := m.NewState(len(tc.PromptIDs)+len(want), 1)
		got := generate(t, s, tc.PromptIDs, len(want))
		if slices.Equal(got, want) {
			full++
			continue
		}
		first := 0
		for got[first] == want[first] {
			first++
		}
		if exactFile(tc.Model) {
			t.Errorf("%s %q: greedy ids differ from step %d:\n got %v\nwant %v", tc.Model, tc.Prompt, first, got, want)
			continue
		}
		// Quantized: the ids must agree up to the first fragile step.
		fragile := len(want)
		for i, mg := range tc.Margins {
			if mg < marginRule {
				fragile = i
				break
			}
		}
		if first < fragile {
			t.Errorf("%s %q: greedy ids differ at step %d, before the first margin < %g (step %d):\n got %v\nwant %v",
				tc.Model, tc.Prompt, first, marginRule, fragile, got, want)
		} else {
			t.Logf("%s %q: diverges at step %d (margin %.6f; first margin < %g at step %d): allowed",
				tc.Model, tc.Prompt, first, tc.Margins[first], marginRule, fragile)
		}
	}
	t.Logf("greedy ids equal to llama.cpp's F32-KV run for all %d steps: %d of %d prompts", cases[0].NPredict, full, total)
}

// TestGoldenLogits checks the last prompt position's logits against
// llama.cpp's, on the Go reference kernels and on the fast ones.
func TestGoldenLogits(t *testing.T) { onBothPaths(t, goldenLogits) }

func goldenLogits(t *testing.T) {
	for _, tc := range readJSONL[logitsCase](t, "logits.jsonl") {
		t.Run(tc.Model, func(t *testing.T) {
			m := loadGolden(t, tc.Model)
			s := m.NewState(len(tc.PromptIDs), 1)
			logits, err := s.Forward(tc.PromptIDs, 0)
			if err != nil {
				t.Fatal(err)
			}
			// F32 files: float32 arithmetic in another order (observed
			// <= 2.4e-7). Others: the README's bound for quantized
			// activations (observed <= 6.8e-3, most <= 5e-7). mean and
			// rms (vs llama.cpp's default run): observed <= 3e-6 for F32
			// files, <= 2.4e-4 for the others.
			tol, statTol := 2e-2, 1e-3
			if strings.Contains(tc.Model, "-F32") {
				tol, statTol = 2e-6, 2e-5
			}
			maxDiff := checkTop10(t, logits, tc.Top10F32, tol)
			// mean and rms are over all logits of llama.cpp's default run
			// (F16 KV cache, flash attention).
			var sum, sq float64
			for _, v := range logits {
				sum += float64(v)
				sq += float64(v) * float64(v)
			}
			mean, rms := sum/float64(len(logits)), math.Sqrt(sq/float64(len(logits)))
			if math.Abs(mean-tc.Mean) > statTol || math.Abs(rms-tc.RMS) > statTol {
				t.Errorf("mean %.6f rms %.6f, want %.6f %.6f (within %g)", mean, rms, tc.Mean, tc.RMS, statTol)
			}
			t.Logf("max |diff| of top-10 logits: %.2g; mean diff %.2g, rms diff %.2g (vs the default run)",
				maxDiff, math.Abs(mean-tc.Mean), math.Abs(rms-tc.RMS))
		})
	}
}

// TestGoldenLogitsF16KV checks the last prompt position's logits with an
// F16 KV cache against llama.cpp's default run (F16 KV cache, flash
// attention), on both kernel paths. The two F16 attentions round in
// different places (llama.cpp also rounds the queries and accumulates the
// values in F16): observed <= 5.3e-4 for F32 files (asserted 5e-3), <=
// 1.8e-2 for the quantized ones (asserted 2e-2, as TestGoldenLogits).
func TestGoldenLogitsF16KV(t *testing.T) {
	onBothPaths(t, func(t *testing.T) {
		for _, tc := range readJSONL[logitsCase](t, "logits.jsonl") {
			t.Run(tc.Model, func(t *testing.T) {
				m := loadGolden(t, tc.Model)
				s, err := m.NewStateKV(len(tc.PromptIDs), 1, quant.F16)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if s.KV.Bytes() != s.KV.NCtx*m.Config.KVDim()*m.Config.NLayer*2*2 {
					t.Fatalf("F16 cache of %d bytes, want 2 per key and value", s.KV.Bytes())
				}
				logits, err := s.Forward(tc.PromptIDs, 0)
				if err != nil {
					t.Fatal(err)
				}
				tol := 2e-2
				if strings.Contains(tc.Model, "-F32") {
					tol = 5e-3
				}
				maxDiff := checkTop10(t, logits, tc.Top10, tol)
				t.Logf("F16 KV: max |diff| of top-10 logits vs the default run: %.2g", maxDiff)
			})
		}
	})
}

// TestKVCacheType: a cache type other than F32 and F16 is an error.
func TestKVCacheType(t *testing.T) {
	m := loadGolden(t, "qwen3-micro-F16.gguf")
	if _, err := m.NewStateKV(8, 1, quant.Q8_0); err == nil || !strings.Contains(err.Error(), "want f32 or f16") {
		t.Fatalf("NewStateKV(q8_0) error %v, want one saying f32 or f16", err)
	}
}

// checkTop10 reports every (id, logit) pair of top10 that logits misses by
// more than tol and returns the largest difference.
func checkTop10(t *testing.T, logits []float32, top10 [][2]float64, tol float64) float64 {
	t.Helper()
	maxDiff := 0.0
	for _, p := range top10 {
		id, want := int(p[0]), p[1]
		d := math.Abs(float64(logits[id]) - want)
		maxDiff = max(maxDiff, d)
		if d > tol {
			t.Errorf("logit[%d] = %.7f, want %.7f (diff %.2g > %g)", id, logits[id], want, d, tol)
		}
	}
	return maxDiff
}
