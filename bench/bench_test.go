package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

const goldenModel = "../testdata/golden/qwen3-small-Q8_0.gguf"

// tableRows returns the cells of the markdown table rows in out, header and
// separator excluded, keyed by engine+" "+threads+" "+test.
func tableRows(t *testing.T, out string) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "|") {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(l, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		if len(cells) != 10 {
			t.Fatalf("line %d has %d cells, want 10: %q", i+1, len(cells), l)
		}
		if cells[0] == "engine" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		rows[cells[0]+" "+cells[5]+" "+cells[6]] = cells
	}
	return rows
}

// rate parses a "mean ± sd" cell.
func rate(t *testing.T, cell string) (mean, sd float64) {
	t.Helper()
	f := strings.Split(cell, " ± ")
	if len(f) != 2 {
		t.Fatalf("t/s cell %q: want mean ± sd", cell)
	}
	mean, err1 := strconv.ParseFloat(f[0], 64)
	sd, err2 := strconv.ParseFloat(f[1], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("t/s cell %q: %v %v", cell, err1, err2)
	}
	return mean, sd
}

func TestRunGolden(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"-m", goldenModel, "-t", "1", "-p", "8", "-n", "4", "-r", "1", "-llama-bench", "none", "-bw-mib", "8"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	text := out.String()
	rows := tableRows(t, text)
	if len(rows) != 2 {
		t.Fatalf("got %d table rows, want 2 (pp8, tg4):\n%s", len(rows), text)
	}
	for _, key := range []string{"limnx 1 pp8", "limnx 1 tg4"} {
		c, ok := rows[key]
		if !ok {
			t.Fatalf("no row %q:\n%s", key, text)
		}
		if mean, _ := rate(t, c[7]); !(mean > 0) {
			t.Errorf("%s: t/s %q, want a positive rate", key, c[7])
		}
		if c[1] != "qwen3-small-Q8_0" || c[2] != "4.13 MiB" || c[3] != "4.07 M" || c[4] != "Q8_0" {
			t.Errorf("%s: model columns %q, want qwen3-small-Q8_0, 4.13 MiB, 4.07 M, Q8_0 (llama-bench's figures)", key, c[1:5])
		}
		if c[8] != "" {
			t.Errorf("%s: ratio %q without llama-bench", key, c[8])
		}
	}
	if gbs := rows["limnx 1 tg4"][9]; !strings.HasSuffix(gbs, "%)") {
		t.Errorf("tg4 weights GB/s %q: want GB/s and a share of the copy bandwidth", gbs)
	}
	for _, want := range []string{"kernels: quant:", "memory before: copy bandwidth (8 MiB buffers", "memory after: copy bandwidth (8 MiB buffers", "llama.cpp: not run",
		"limnx heap allocations per token (test/threads, timed runs): pp8/1: ", ", tg4/1: "} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

// TestRunFakeLlamaBench runs the whole side-by-side path with a stand-in
// llama-bench that prints the recorded json sample (threads 1 and 2, pp8
// and tg4), and checks that only the thread count asked for is kept and
// that the ratio column is filled.
func TestRunFakeLlamaBench(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a shell script")
	}
	sample, err := filepath.Abs("testdata/llama-bench.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	args := filepath.Join(dir, "args")
	fake := filepath.Join(dir, "llama-bench")
	script := "#!/bin/sh\necho \"$@\" > '" + args + "'\ncat '" + sample + "'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run([]string{"-m", goldenModel, "-t", "2", "-p", "8", "-n", "4", "-r", "1", "-llama-bench", fake, "-bw-mib", "0"}, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	got, err := os.ReadFile(args)
	if err != nil {
		t.Fatal(err)
	}
	if want := "-m " + goldenModel + " -t 2 -p 8 -n 4 -d 0 -r 1 -ctk f16 -ctv f16 -o json"; strings.TrimSpace(string(got)) != want {
		t.Errorf("llama-bench args %q, want %q", strings.TrimSpace(string(got)), want)
	}
	rows := tableRows(t, out.String())
	if len(rows) != 4 {
		t.Fatalf("got %d rows, want 4 (two engines x pp8, tg4 at 2 threads):\n%s", len(rows), out.String())
	}
	for _, test := range []string{"pp8", "tg4"} {
		l, ok1 := rows["limnx 2 "+test]
		c, ok2 := rows["llama.cpp 2 "+test]
		if !ok1 || !ok2 {
			t.Fatalf("missing %s rows:\n%s", test, out.String())
		}
		lm, _ := rate(t, l[7])
		cm, _ := rate(t, c[7])
		want := strconv.FormatFloat(lm/cm, 'f', 2, 64) + "x"
		if l[8] != want {
			t.Errorf("%s ratio %q, want %q (%g / %g)", test, l[8], want, lm, cm)
		}
	}
	if strings.Contains(out.String(), "% of") || strings.Contains(out.String(), "memory:") {
		t.Errorf("-bw-mib 0 still measured the bandwidth:\n%s", out.String())
	}
}

func TestParseLlamaBench(t *testing.T) {
	want := []struct {
		threads            int
		test               string
		tg                 bool
		jsonMean, jsonSD   float64
		csvMean, csvStddev float64
	}{
		{threads: 1, test: "pp8", jsonMean: 19185.263397, jsonSD: 2133.863793, csvMean: 7657.652756, csvStddev: 10344.792123},
		{threads: 1, test: "tg4", tg: true, jsonMean: 5989.695572, jsonSD: 370.916690, csvMean: 6097.160428, csvStddev: 379.151397},
		{threads: 2, test: "pp8", jsonMean: 19255.642574, jsonSD: 1837.771162, csvMean: 5814.776558, csvStddev: 8208.588400},
		{threads: 2, test: "tg4", tg: true, jsonMean: 3950.886043, jsonSD: 3286.030641, csvMean: 2883.428245, csvStddev: 3952.114508},
	}
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			data, err := os.ReadFile("testdata/llama-bench." + format)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := parseLlamaBench(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(want) {
				t.Fatalf("%d rows, want %d", len(rows), len(want))
			}
			for i, w := range want {
				r := rows[i]
				mean, sd := w.jsonMean, w.jsonSD
				if format == "csv" {
					mean, sd = w.csvMean, w.csvStddev
				}
				if r.engine != "llama.cpp" || r.model != "qwen3-small-Q8_0" || r.typ != "Q8_0" ||
					r.nBytes != 4325984 || r.nParams != 4066560 {
					t.Errorf("row %d: %+v: want llama.cpp, qwen3-small-Q8_0, Q8_0, 4325984 bytes, 4066560 params", i, r)
				}
				if r.threads != w.threads || r.test != w.test || r.tg != w.tg || r.mean != mean || r.sd != sd {
					t.Errorf("row %d: threads %d test %s tg %v %g ± %g, want %d %s %v %g ± %g",
						i, r.threads, r.test, r.tg, r.mean, r.sd, w.threads, w.test, w.tg, mean, sd)
				}
			}
		})
	}
}

func TestParseLlamaBenchErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
	}{
		{"empty", ""},
		{"spaces", " \n"},
		{"empty array", "[]"},
		{"broken json", `[{"n_threads": 1,`},
		{"wrong json type", `[{"n_threads": "one"}]`},
		{"no test", `[{"n_threads": 1, "n_prompt": 0, "n_gen": 0, "avg_ts": 5}]`},
		{"zero threads", `[{"n_threads": 0, "n_prompt": 8, "avg_ts": 5}]`},
		{"no rate", `[{"n_threads": 1, "n_prompt": 8, "avg_ts": 0}]`},
		{"csv header only", "model_filename,model_type,model_size,model_n_params,n_threads,n_prompt,n_gen,avg_ts,stddev_ts\n"},
		{"csv missing column", "model_filename,n_threads\nx,1\n"},
		{"csv bad number", "model_filename,model_type,model_size,model_n_params,n_threads,n_prompt,n_gen,avg_ts,stddev_ts\nm,t,1,1,two,8,0,5,1\n"},
		{"csv ragged", "a,b\n1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if rows, err := parseLlamaBench([]byte(tc.data)); err == nil {
				t.Errorf("parsed %q into %+v, want an error", tc.data, rows)
			}
		})
	}
}

func TestParseFlagsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no model", nil},
		{"bad threads", []string{"-m", "x", "-t", "1,a"}},
		{"zero threads", []string{"-m", "x", "-t", "0"}},
		{"negative prompt", []string{"-m", "x", "-p", "-1"}},
		{"negative depth", []string{"-m", "x", "-d", "-4"}},
		{"zero reps", []string{"-m", "x", "-r", "0"}},
		{"extra argument", []string{"-m", "x", "y"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseFlags(tc.args, &bytes.Buffer{}); err == nil {
				t.Errorf("parseFlags(%q) succeeded, want an error", tc.args)
			}
		})
	}
	var out bytes.Buffer
	if err := run([]string{"-m", goldenModel, "-p", "0", "-n", "0", "-llama-bench", "none"}, &out, &out); err == nil {
		t.Errorf("run with -p 0 -n 0 succeeded, want an error")
	}
	if err := run([]string{"-m", "testdata/no-such.gguf", "-llama-bench", "none", "-bw-mib", "0"}, &out, &out); err == nil {
		t.Errorf("run on a missing file succeeded, want an error")
	}
	if err := run([]string{"-m", goldenModel, "-llama-bench", "testdata/no-such-llama-bench"}, &out, &out); err == nil {
		t.Errorf("run with a missing -llama-bench succeeded, want an error")
	}
}

func TestMeanSD(t *testing.T) {
	for _, tc := range []struct {
		name     string
		xs       []float64
		mean, sd float64
	}{
		{"none", nil, 0, 0},
		{"one", []float64{3}, 3, 0},
		{"two", []float64{1, 3}, 2, 1.4142135623730951},
		{"equal", []float64{5, 5, 5}, 5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mean, sd := meanSD(tc.xs)
			if mean != tc.mean || sd != tc.sd {
				t.Errorf("meanSD(%v) = %g, %g, want %g, %g", tc.xs, mean, sd, tc.mean, tc.sd)
			}
		})
	}
}

// TestRunDepth: -d runs every test after that much context, named as
// llama-bench names it, and a depth that with the test overflows nothing
// (the cache is sized for depth + n).
func TestRunDepth(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"-m", goldenModel, "-t", "1", "-p", "8", "-n", "4", "-d", "0,20", "-r", "1", "-llama-bench", "none", "-bw-mib", "0"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	rows := tableRows(t, out.String())
	for _, key := range []string{"limnx 1 pp8", "limnx 1 tg4", "limnx 1 pp8 @ d20", "limnx 1 tg4 @ d20"} {
		c, ok := rows[key]
		if !ok {
			t.Fatalf("no row %q:\n%s", key, out.String())
		}
		if mean, _ := rate(t, c[7]); !(mean > 0) {
			t.Errorf("%s: t/s %q, want a positive rate", key, c[7])
		}
	}
	if len(rows) != 4 {
		t.Errorf("%d rows, want 4:\n%s", len(rows), out.String())
	}
}

// TestNoMmapArgs: -mmap=false gives llama-bench the no-mmap flag of its
// release: -lm none where --help lists --load-mode, else -mmp 0.
func TestNoMmapArgs(t *testing.T) {
	sample, err := filepath.Abs("testdata/llama-bench.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ help, want string }{
		{"  -lm, --load-mode <auto|none|mmap>", "-lm none -o json"},
		{"  -mmp, --mmap <0|1>", "-mmp 0 -o json"},
	} {
		dir := t.TempDir()
		args := filepath.Join(dir, "args")
		fake := filepath.Join(dir, "llama-bench")
		script := "#!/bin/sh\nif [ \"$1\" = --help ]; then echo '" + tc.help + "'; exit 0; fi\necho \"$@\" > '" + args + "'\ncat '" + sample + "'\n"
		if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		if err := run([]string{"-m", goldenModel, "-t", "2", "-p", "8", "-n", "4", "-r", "1", "-llama-bench", fake, "-bw-mib", "0", "-mmap=false"}, &out, &errOut); err != nil {
			t.Fatalf("run: %v\n%s", err, errOut.String())
		}
		got, err := os.ReadFile(args)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(strings.TrimSpace(string(got)), tc.want) {
			t.Errorf("help %q: llama-bench args %q, want them to end %q", tc.help, strings.TrimSpace(string(got)), tc.want)
		}
		if !strings.Contains(out.String(), "weights copied into 2 MiB pages") {
			t.Errorf("output does not say the weights were copied:\n%s", out.String())
		}
	}
}
