package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// findLlamaBench resolves the -llama-bench flag: "none" means do not run it
// (""), "" means llama-bench on PATH if there is one, else ""; any other
// value must name an existing file.
func findLlamaBench(flagValue string) (string, error) {
	switch flagValue {
	case "none":
		return "", nil
	case "":
		p, err := exec.LookPath("llama-bench")
		if err != nil {
			return "", nil
		}
		return p, nil
	}
	if _, err := os.Stat(flagValue); err != nil {
		return "", fmt.Errorf("bench: -llama-bench: %w", err)
	}
	return flagValue, nil
}

// runLlamaBench runs llama-bench on o's model with threads, o's prompt and
// generation lengths and repetitions, and returns its rows. The binary's
// directory is added to LD_LIBRARY_PATH so that a build tree's shared
// libraries are found.
func runLlamaBench(path string, o *options, threads int, stderr io.Writer) ([]row, error) {
	args := []string{"-m", o.model, "-t", strconv.Itoa(threads),
		"-p", joinInts(o.nPrompt), "-n", joinInts(o.nGen), "-d", joinInts(o.depths), "-r", strconv.Itoa(o.reps),
		"-ctk", o.kvType, "-ctv", o.kvType, "-o", "json"}
	if !o.mmap {
		args = append(args[:len(args)-2], append(noMmapArgs(path), "-o", "json")...)
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), "LD_LIBRARY_PATH="+joinPathList(filepath.Dir(path), os.Getenv("LD_LIBRARY_PATH")))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bench: %s %s: %w\n%s", path, strings.Join(args, " "), err, tail(errOut.String(), 2000))
	}
	rows, err := parseLlamaBench(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("bench: %s %s: %w", path, strings.Join(args, " "), err)
	}
	return rows, nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func joinPathList(dir, list string) string {
	if list == "" {
		return dir
	}
	return dir + string(os.PathListSeparator) + list
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// llamaBenchResult is one test of llama-bench's -o json output (the fields
// this command reads; the output has more).
type llamaBenchResult struct {
	BuildCommit   string  `json:"build_commit"`
	ModelFilename string  `json:"model_filename"`
	ModelType     string  `json:"model_type"`
	ModelSize     int64   `json:"model_size"`
	ModelNParams  int64   `json:"model_n_params"`
	NThreads      int     `json:"n_threads"`
	NPrompt       int     `json:"n_prompt"`
	NGen          int     `json:"n_gen"`
	NDepth        int     `json:"n_depth"`
	AvgTS         float64 `json:"avg_ts"`
	StddevTS      float64 `json:"stddev_ts"`
}

// parseLlamaBench parses llama-bench's -o json (an array of objects) or
// -o csv (a header line, then one line per test) output into rows.
func parseLlamaBench(data []byte) ([]row, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, fmt.Errorf("llama-bench output: empty")
	}
	var results []llamaBenchResult
	if data[0] == '[' {
		if err := json.Unmarshal(data, &results); err != nil {
			return nil, fmt.Errorf("llama-bench json: %w", err)
		}
	} else {
		var err error
		if results, err = parseLlamaBenchCSV(data); err != nil {
			return nil, err
		}
	}
	if len(results) == 0 {
		return nil, fmt.Errorf("llama-bench output: no results")
	}
	rows := make([]row, 0, len(results))
	for i, r := range results {
		if r.NThreads < 1 || r.NPrompt < 0 || r.NGen < 0 || r.NPrompt == 0 && r.NGen == 0 {
			return nil, fmt.Errorf("llama-bench result %d: threads %d, n_prompt %d, n_gen %d: not a test", i, r.NThreads, r.NPrompt, r.NGen)
		}
		if !(r.AvgTS > 0) || r.StddevTS < 0 {
			return nil, fmt.Errorf("llama-bench result %d: avg_ts %g ± %g: want a positive rate", i, r.AvgTS, r.StddevTS)
		}
		rows = append(rows, row{
			engine:  "llama.cpp",
			model:   strings.TrimSuffix(filepath.Base(r.ModelFilename), ".gguf"),
			nBytes:  r.ModelSize,
			nParams: r.ModelNParams,
			typ:     llamaTypeName(r.ModelType),
			threads: r.NThreads,
			test:    llamaTestName(r.NPrompt, r.NGen, r.NDepth),
			tg:      r.NPrompt == 0,
			mean:    r.AvgTS,
			sd:      r.StddevTS,
		})
	}
	return rows, nil
}

// parseLlamaBenchCSV reads the csv form: the header names the same fields
// as the json keys.
func parseLlamaBenchCSV(data []byte) ([]llamaBenchResult, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("llama-bench csv: %w", err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("llama-bench csv: %d lines: want a header and results", len(recs))
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	for _, name := range []string{"model_filename", "model_type", "model_size", "model_n_params", "n_threads", "n_prompt", "n_gen", "avg_ts", "stddev_ts"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("llama-bench csv: no %q column", name)
		}
	}
	var out []llamaBenchResult
	for line, rec := range recs[1:] {
		field := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		var r llamaBenchResult
		var errs []error
		integer := func(name string) int64 {
			s := field(name)
			if s == "" && name == "n_depth" {
				return 0
			}
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %q", name, s))
			}
			return v
		}
		decimal := func(name string) float64 {
			v, err := strconv.ParseFloat(field(name), 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %q", name, field(name)))
			}
			return v
		}
		r.BuildCommit = field("build_commit")
		r.ModelFilename = field("model_filename")
		r.ModelType = field("model_type")
		r.ModelSize = integer("model_size")
		r.ModelNParams = integer("model_n_params")
		r.NThreads = int(integer("n_threads"))
		r.NPrompt = int(integer("n_prompt"))
		r.NGen = int(integer("n_gen"))
		r.NDepth = int(integer("n_depth"))
		r.AvgTS = decimal("avg_ts")
		r.StddevTS = decimal("stddev_ts")
		if len(errs) > 0 {
			return nil, fmt.Errorf("llama-bench csv line %d: bad %v", line+2, errs[0])
		}
		out = append(out, r)
	}
	return out, nil
}

// llamaTestName names a test as llama-bench's table does: pp512, tg128,
// pp512+tg128, with " @ d<depth>" for a non-empty starting cache.
func llamaTestName(nPrompt, nGen, nDepth int) string {
	var s string
	switch {
	case nGen == 0:
		s = "pp" + strconv.Itoa(nPrompt)
	case nPrompt == 0:
		s = "tg" + strconv.Itoa(nGen)
	default:
		s = "pp" + strconv.Itoa(nPrompt) + "+tg" + strconv.Itoa(nGen)
	}
	if nDepth > 0 {
		s += " @ d" + strconv.Itoa(nDepth)
	}
	return s
}

// llamaTypeName returns the weight-type part of llama.cpp's model_type
// ("qwen3 0.6B Q4_K - Medium" gives "Q4_K - Medium"): everything after the
// architecture and size label.
func llamaTypeName(modelType string) string {
	f := strings.SplitN(modelType, " ", 3)
	if len(f) < 3 {
		return modelType
	}
	return f[2]
}

// noMmapArgs returns the llama-bench flags that load the model without
// mmap: "-lm none" where its help lists --load-mode (newer releases), else
// the older "-mmp 0".
func noMmapArgs(path string) []string {
	help, _ := exec.Command(path, "--help").CombinedOutput() // it may exit non-zero after printing
	if bytes.Contains(help, []byte("--load-mode")) {
		return []string{"-lm", "none"}
	}
	return []string{"-mmp", "0"}
}
