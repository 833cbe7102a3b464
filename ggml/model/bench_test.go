package model

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// benchModel is the model BenchmarkForward runs: $LIMNX_BENCH_MODEL (for
// example a Qwen3-0.6B-shaped Q4_K file from `go run ./models gen -preset
// qwen3-0.6b -type q4_K`), else the golden qwen3-small-Q4_K.
func benchModel(b testing.TB) (string, *Model) {
	path := os.Getenv("LIMNX_BENCH_MODEL")
	if path == "" {
		return "qwen3-small-Q4_K.gguf", loadGolden(b, "qwen3-small-Q4_K.gguf")
	}
	m, f, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return path, m
}

// BenchmarkForward measures decoding one token (tokens/s = 1/op) and
// prompt batches of 32 and (fast kernels only) 512 tokens, as llama-bench's
// pp512, with 1 and 2 matmul threads, on the pure-Go kernels (kernels=go)
// and on kernels/amd64's (kernels=fast).
func BenchmarkForward(b *testing.B) {
	_, m := benchModel(b)
	for _, p := range kernelPaths {
		prompts := []int{32}
		if p.fast {
			prompts = append(prompts, 512)
		}
		b.Run(p.name, func(b *testing.B) { withKernels(b, p.fast, func() { benchForward(b, m, prompts) }) })
	}
}

func benchForward(b *testing.B, m *Model, prompts []int) {
	const nCtx = 512
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("decode/threads=%d", threads), func(b *testing.B) {
			s := m.NewState(nCtx, threads)
			defer s.Close()
			prompt := []int32{1, 2, 3, 4, 5, 6, 7, 8}
			if _, err := s.Forward(prompt, 0); err != nil {
				b.Fatal(err)
			}
			pos := len(prompt)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			for b.Loop() {
				if pos == nCtx {
					pos = len(prompt) // reuse the cache: attention cost stays bounded
				}
				if _, err := s.Forward([]int32{int32(pos % 100)}, pos); err != nil {
					b.Fatal(err)
				}
				pos++
			}
			reportCPU(b, cpu0, 1)
		})
		for _, nPrompt := range prompts {
			b.Run(fmt.Sprintf("prompt%d/threads=%d", nPrompt, threads), func(b *testing.B) {
				s := m.NewState(nCtx, threads)
				defer s.Close()
				prompt := make([]int32, nPrompt)
				for i := range prompt {
					prompt[i] = int32(i * 7 % m.Config.NVocab)
				}
				cpu0 := processCPU()
				for b.Loop() {
					if _, err := s.Forward(prompt, 0); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu0, len(prompt))
			})
		}
	}
}

// reportCPU reports tokens/s of wall time and the process CPU time per
// token since cpu0 (cpu-ms/token): on a shared machine the wall figure
// depends on the load, the CPU figure much less.
func reportCPU(b *testing.B, cpu0 time.Duration, tokensPerOp int) {
	tokens := float64(b.N * tokensPerOp)
	b.ReportMetric(tokens/b.Elapsed().Seconds(), "tokens/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(cpu.Seconds()*1e3/tokens, "cpu-ms/token")
	}
}
