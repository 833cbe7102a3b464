package main

import (
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/model"
	"github.com/limnx/limnx/ggml/ops"
	"github.com/limnx/limnx/ggml/quant"
)

// modelInfo describes a GGUF model for the table's model, size, params and
// type columns.
type modelInfo struct {
	name        string // file name without .gguf
	arch        string // general.architecture
	fileType    int    // general.file_type (llama_ftype), -1 if absent
	mainType    string // the weight type holding most bytes
	nBytes      int64  // bytes of all tensors (llama-bench's model_size)
	nParams     int64  // elements of all tensors (llama-bench's model_n_params)
	streamBytes int64  // bytes one decode step reads: every tensor, but one row of token_embd when output.weight exists
}

// ftypeNames are llama.cpp's names for general.file_type values
// (llama_ftype, as llama_model_ftype_name prints them).
var ftypeNames = map[int]string{
	0: "all F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
	10: "Q2_K - Medium", 11: "Q3_K - Small", 12: "Q3_K - Medium", 13: "Q3_K - Large",
	14: "Q4_K - Small", 15: "Q4_K - Medium", 16: "Q5_K - Small", 17: "Q5_K - Medium",
	18: "Q6_K", 21: "Q2_K - Small", 32: "BF16",
}

// typeName returns the model's weight type as llama.cpp names it, or, for
// a file_type it does not know, the type holding most of the bytes.
func (mi *modelInfo) typeName() string {
	if s, ok := ftypeNames[mi.fileType]; ok {
		return s
	}
	return mi.mainType + " (most bytes)"
}

// describe reads f's tensor infos and metadata.
func describe(path string, f *gguf.File) modelInfo {
	mi := modelInfo{name: strings.TrimSuffix(filepath.Base(path), ".gguf"), fileType: -1}
	mi.arch, _ = f.String("general.architecture")
	if ft, ok := f.Uint("general.file_type"); ok && ft < math.MaxInt32 {
		mi.fileType = int(ft)
	}
	byType := map[quant.Type]int64{}
	_, _, hasOutput := f.Tensor("output.weight")
	for i := range f.Tensors {
		ti := &f.Tensors[i]
		mi.nBytes += int64(ti.Size)
		mi.nParams += int64(ti.NumElements())
		byType[ti.Type] += int64(ti.Size)
		if hasOutput && ti.Name == "token_embd.weight" && ti.Rows() > 0 {
			mi.streamBytes += int64(ti.Size / ti.Rows())
			continue
		}
		mi.streamBytes += int64(ti.Size)
	}
	var best int64 = -1
	for t, n := range byType {
		if n > best || n == best && t.String() < mi.mainType {
			best, mi.mainType = n, t.String()
		}
	}
	return mi
}

// engine is a loaded Limnx model and one State per thread count.
type engine struct {
	model   *model.Model
	file    *gguf.File
	info    modelInfo
	kernels string               // quant's kernel selection line
	nCtx    int                  // KV cache positions of every State
	kvType  quant.Type           // KV cache element type of every State
	states  map[int]*model.State // by thread count
	filled  map[int]int          // by thread count: positions of tokenIDs the State's cache holds
	tokens  []int32              // pseudo-random token ids, as many as the longest test
}

// openEngine maps and loads the model at path and installs the SIMD kernels
// (fast) or the Go reference kernels (!fast). Its States hold nCtx positions
// in a KV cache of kvType (f16 or f32). With mmap the file is mapped, else
// copied into huge pages.
func openEngine(path string, fast bool, nCtx int, kvType string, mmap bool) (*engine, error) {
	kv, err := quant.ParseType(kvType) // "f16" or "f32": parseFlags checked it
	if err != nil {
		return nil, fmt.Errorf("bench: -kv-type: %w", err)
	}
	kernels := quant.UseFastKernels(fast)
	ops.UseFastKernels(fast)
	kernels += "; " + ops.KernelInfo() + "; KV cache " + kvType + " (both engines)"
	open, how := model.Open, "mapped"
	if !mmap {
		open, how = model.OpenHugePages, "copied into 2 MiB pages"
	}
	kernels += "; weights " + how
	m, f, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return &engine{model: m, file: f, info: describe(path, f), kernels: kernels, nCtx: nCtx, kvType: kv, states: map[int]*model.State{}, filled: map[int]int{}}, nil
}

// Close stops every State's workers and unmaps the file.
func (e *engine) Close() {
	for _, s := range e.states {
		s.Close()
	}
	e.file.Close()
}

// state returns the State for threads, made on first use.
func (e *engine) state(threads int) *model.State {
	if s, ok := e.states[threads]; ok {
		return s
	}
	s, err := e.model.NewStateKV(e.nCtx, threads, e.kvType)
	if err != nil {
		panic("bench: " + err.Error()) // parseFlags allows only f16 and f32
	}
	e.states[threads] = s
	return s
}

// tokenIDs returns n pseudo-random token ids (a fixed xorshift sequence, so
// every run feeds the same tokens).
func (e *engine) tokenIDs(n int) []int32 {
	if len(e.tokens) < n {
		e.tokens = make([]int32, n)
		x := uint64(0x9e3779b97f4a7c15)
		for i := range e.tokens {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			e.tokens[i] = int32(x % uint64(e.model.Config.NVocab))
		}
	}
	return e.tokens[:n]
}

// measure runs test tc with threads workers: one warm-up, then reps timed
// runs, each after tc.depth positions of context (prefilled untimed, once
// per State and depth: the timed tokens only write positions after it).
func (e *engine) measure(tc test, threads, reps int) (row, error) {
	if tc.depth+tc.n > e.nCtx {
		return row{}, fmt.Errorf("bench: %s: longer than the cache (%d positions)", tc, e.nCtx)
	}
	s := e.state(threads)
	toks := e.tokenIDs(tc.depth + tc.n)
	if tc.depth > 0 && e.filled[threads] < tc.depth {
		// The cache's first positions are always tokenIDs' first tokens,
		// so a longer prefill serves every shorter depth.
		if _, err := s.Forward(toks[:tc.depth], 0); err != nil {
			return row{}, fmt.Errorf("bench: %s: prefill: %w", tc, err)
		}
		e.filled[threads] = tc.depth
	}
	d := tc.depth
	once := func(n int) (time.Duration, error) {
		start := time.Now()
		if tc.kind == "pp" {
			if _, err := s.Forward(toks[d:d+n], d); err != nil {
				return 0, err
			}
			return time.Since(start), nil
		}
		for i := 0; i < n; i++ {
			if _, err := s.Forward(toks[d+i:d+i+1], d+i); err != nil {
				return 0, err
			}
		}
		return time.Since(start), nil
	}
	warm := tc.n
	if tc.kind == "tg" {
		warm = 1
	}
	if _, err := once(warm); err != nil {
		return row{}, fmt.Errorf("bench: %s warm-up with %d threads: %w", tc, threads, err)
	}
	rates := make([]float64, reps)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs := ms.Mallocs
	for i := range rates {
		d, err := once(tc.n)
		if err != nil {
			return row{}, fmt.Errorf("bench: %s with %d threads: %w", tc, threads, err)
		}
		rates[i] = float64(tc.n) / d.Seconds()
	}
	runtime.ReadMemStats(&ms)
	allocs := float64(ms.Mallocs-mallocs) / float64(reps*tc.n)
	mean, sd := meanSD(rates)
	return row{
		engine: "limnx", model: e.info.name, nBytes: e.info.nBytes, nParams: e.info.nParams,
		typ: e.info.typeName(), threads: threads, test: tc.String(), tg: tc.kind == "tg",
		mean: mean, sd: sd, allocsPerToken: allocs,
	}, nil
}

// meanSD returns the mean and the sample standard deviation (n-1) of xs, as
// llama-bench computes them; sd is 0 for fewer than two values.
func meanSD(xs []float64) (mean, sd float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}
