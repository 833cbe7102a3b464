// Command bench measures Limnx's prompt (pp) and decode (tg) speed on a GGUF
// model in tokens per second, in the manner of llama.cpp's llama-bench, and
// runs llama-bench on the same file and threads for a side-by-side ratio.
//
//	go run ./bench -m /tmp/qwen3-0.6b-q4_K_M.gguf -t 1,2 -p 512 -n 128 -r 3
//
// For every thread count it first runs Limnx, then llama-bench (when found on
// PATH or given by -llama-bench), so both engines see the same machine load.
// A pp test is one batched Forward over p tokens from an empty cache; a tg
// test is n single-token Forward calls from an empty cache (decode). Each
// test has one warm-up run (pp: the whole prompt, tg: one token), as
// llama-bench does, then -r timed runs; t/s is the mean ± sample standard
// deviation of the per-run rates.
//
// It also prints the kernel selection of ggml/quant, a memory bandwidth
// measured by large copies (one per thread count), and for tg rows the
// weight bytes streamed per second (bytes read per token times tokens/s)
// as a share of that bandwidth: decode reads every weight once per token,
// so the copy bandwidth is its physical limit.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// options are the parsed command-line flags.
type options struct {
	model      string
	threads    []int
	nPrompt    []int
	nGen       []int
	depths     []int // context already in the cache before each test (llama-bench -d)
	reps       int
	llamaBench string // path of llama-bench, "" to look it up on PATH, "none" to skip
	goKernels  bool   // force ggml/quant's Go reference kernels
	bwMiB      int    // size of each copy buffer for the bandwidth figure; 0 skips it
	cpuProfile string // file for a CPU profile of Limnx's timed runs; "" for none
	kvType     string // KV cache element type, "f16" or "f32", for both engines
	mmap       bool   // map the file (zero copy); false: Limnx copies it into huge pages, llama-bench -mmp 0
	cold       bool   // drop the file from the page cache before loading it
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.model, "m", "", "GGUF model file")
	threads := fs.String("t", strconv.Itoa(runtime.NumCPU()), "thread counts, comma-separated")
	prompt := fs.String("p", "512", "prompt lengths for pp tests, comma-separated (0: none)")
	gen := fs.String("n", "128", "generated tokens for tg tests, comma-separated (0: none)")
	depth := fs.String("d", "0", "tokens already in the KV cache before each test, comma-separated (llama-bench -d)")
	fs.IntVar(&o.reps, "r", 5, "timed repetitions of each test")
	fs.StringVar(&o.llamaBench, "llama-bench", "", `llama-bench binary ("": look on PATH, "none": skip)`)
	fs.BoolVar(&o.goKernels, "go", false, "use ggml/quant's Go reference kernels, not the SIMD ones")
	fs.IntVar(&o.bwMiB, "bw-mib", 256, "MiB per buffer for the copy bandwidth (0: skip)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	fs.StringVar(&o.kvType, "kv-type", "f16", "KV cache element type for both engines: f16 (llama-bench's default) or f32")
	fs.BoolVar(&o.mmap, "mmap", true, "map the model file (zero copy); -mmap=false: Limnx copies it into 2 MiB pages, llama-bench gets -mmp 0")
	fs.BoolVar(&o.cold, "cold", true, "drop the model file from the page cache first, so that the mapping reads it into 2 MiB folios (both engines then share them); -cold=false keeps the cache as it is")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.model == "" || fs.NArg() > 0 {
		return nil, fmt.Errorf("usage: bench -m MODEL.gguf [-t THREADS] [-p 512] [-n 128] [-r REPS] [-llama-bench PATH|none]")
	}
	var err error
	if o.threads, err = parseInts("-t", *threads, 1); err != nil {
		return nil, err
	}
	if o.nPrompt, err = parseInts("-p", *prompt, 0); err != nil {
		return nil, err
	}
	if o.nGen, err = parseInts("-n", *gen, 0); err != nil {
		return nil, err
	}
	if o.depths, err = parseInts("-d", *depth, 0); err != nil {
		return nil, err
	}
	if o.reps < 1 {
		return nil, fmt.Errorf("bench: -r %d: want at least 1 repetition", o.reps)
	}
	if o.kvType != "f16" && o.kvType != "f32" {
		return nil, fmt.Errorf("bench: -kv-type %q: want f16 or f32", o.kvType)
	}
	if o.bwMiB < 0 {
		return nil, fmt.Errorf("bench: -bw-mib %d: want 0 or more", o.bwMiB)
	}
	return o, nil
}

// parseInts parses a comma-separated list of integers, each at least min.
func parseInts(flagName, s string, min int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("bench: %s %q: %q is not an integer", flagName, s, f)
		}
		if v < min {
			return nil, fmt.Errorf("bench: %s %q: %d is below %d", flagName, s, v, min)
		}
		out = append(out, v)
	}
	return out, nil
}

// tests lists the tests o asks for: for each depth, every pp, then every
// tg.
func (o *options) tests() []test {
	var ts []test
	for _, d := range o.depths {
		for _, p := range o.nPrompt {
			if p > 0 {
				ts = append(ts, test{kind: "pp", n: p, depth: d})
			}
		}
		for _, n := range o.nGen {
			if n > 0 {
				ts = append(ts, test{kind: "tg", n: n, depth: d})
			}
		}
	}
	return ts
}

// test is one llama-bench test: "pp" (prompt of n tokens in one batch) or
// "tg" (n tokens decoded one at a time).
type test struct {
	kind  string
	n     int
	depth int // positions filled before the test (its tokens come after them)
}

// String names the test as llama-bench does: "tg128", "pp512 @ d4096".
func (t test) String() string {
	s := t.kind + strconv.Itoa(t.n)
	if t.depth > 0 {
		s += " @ d" + strconv.Itoa(t.depth)
	}
	return s
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	tests := o.tests()
	if len(tests) == 0 {
		return fmt.Errorf("bench: nothing to run: -p and -n are all 0")
	}
	lb, err := findLlamaBench(o.llamaBench)
	if err != nil {
		return err
	}

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return fmt.Errorf("bench: -cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: -cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	nCtx := 0
	for _, tc := range tests {
		nCtx = max(nCtx, tc.depth+tc.n)
	}
	if o.cold {
		if err := evictPageCache(o.model); err != nil {
			return fmt.Errorf("bench: -cold: %w", err)
		}
	}
	eng, err := openEngine(o.model, !o.goKernels, nCtx, o.kvType, o.mmap)
	if err != nil {
		return err
	}
	defer eng.Close()
	info := eng.info
	fmt.Fprintf(stdout, "model: %s: %s, %s params, %s of weights, decode reads %s per token\n",
		o.model, info.typeName(), formatParams(info.nParams), formatSize(info.nBytes), formatSize(info.streamBytes))
	fmt.Fprintf(stdout, "kernels: %s\n", eng.kernels)
	fmt.Fprintf(stdout, "go: %s %s/%s, GOMAXPROCS %d, %d CPUs%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU(), loadAverage())

	bw := map[int]float64{} // threads -> copy bandwidth in bytes/s, the best of before and after
	measureBandwidth := func(when string) {
		if o.bwMiB <= 0 {
			return
		}
		var parts []string
		seen := map[int]bool{}
		for _, t := range o.threads {
			if seen[t] {
				continue
			}
			seen[t] = true
			b := copyBandwidth(o.bwMiB<<20, t)
			bw[t] = max(bw[t], b)
			parts = append(parts, fmt.Sprintf("%d thread(s) %.1f GB/s", t, b/1e9))
		}
		fmt.Fprintf(stdout, "memory %s: copy bandwidth (%d MiB buffers, read+write counted): %s\n", when, o.bwMiB, strings.Join(parts, ", "))
	}
	measureBandwidth("before")
	if lb != "" {
		fmt.Fprintf(stdout, "llama.cpp: %s\n", lb)
	} else {
		fmt.Fprintf(stdout, "llama.cpp: not run (no llama-bench on PATH, or -llama-bench none)\n")
	}

	var rows []row
	for _, t := range o.threads {
		for _, tc := range tests {
			r, err := eng.measure(tc, t, o.reps)
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "limnx: %d threads %s: %.2f ± %.2f t/s\n", t, tc, r.mean, r.sd)
			rows = append(rows, r)
		}
		if lb == "" {
			continue
		}
		lrows, err := runLlamaBench(lb, o, t, stderr)
		if err != nil {
			return err
		}
		for _, tc := range tests {
			found := false
			for _, lr := range lrows {
				if lr.threads == t && lr.test == tc.String() {
					fmt.Fprintf(stderr, "llama.cpp: %d threads %s: %.2f ± %.2f t/s\n", t, tc, lr.mean, lr.sd)
					rows = append(rows, lr)
					found = true
					break
				}
			}
			if !found {
				fmt.Fprintf(stderr, "llama.cpp: %d threads %s: no result in llama-bench's output\n", t, tc)
			}
		}
	}
	measureBandwidth("after")
	fmt.Fprintln(stdout)
	writeTable(stdout, rows, info, bw)
	var allocs []string
	for _, r := range rows {
		if r.engine == "limnx" {
			allocs = append(allocs, fmt.Sprintf("%s/%d: %.2f", r.test, r.threads, r.allocsPerToken))
		}
	}
	fmt.Fprintf(stdout, "\nat the end%s\n", loadAverage())
	fmt.Fprintf(stdout, "weights GB/s (tg rows): bytes decode reads per token x t/s; in brackets its share of the copy bandwidth at that thread count (the better of before and after)\n")
	fmt.Fprintf(stdout, "limnx heap allocations per token (test/threads, timed runs): %s\n", strings.Join(allocs, ", "))
	if file, anon, ok := hugePageBytes(); ok {
		// After the runs, so the mapping's pages have been faulted in.
		fmt.Fprintf(stdout, "limnx memory in 2 MiB pages: %s of file mappings, %s anonymous (the model is %s)\n",
			formatSize(file), formatSize(anon), formatSize(info.nBytes))
	}
	return nil
}

// loadAverage returns ", load average 1.00 0.50 0.20" from /proc/loadavg,
// or "" where there is none: other work on the machine skews every figure.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return ", load average " + strings.Join(f[:3], " ")
}
