package model

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/sample"
)

// procStatusKB returns fields of /proc/self/status in KiB.
func procStatusKB(t *testing.T, names ...string) []int {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	defer f.Close()
	vals := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fs := strings.Fields(v)
		if len(fs) == 2 && fs[1] == "kB" {
			n, _ := strconv.Atoi(fs[0])
			vals[k] = n
		}
	}
	out := make([]int, len(names))
	for i, n := range names {
		v, ok := vals[n]
		if !ok {
			t.Skipf("/proc/self/status has no %s", n)
		}
		out[i] = v
	}
	return out
}

// TestZeroCopy loads a model through the mmap, generates, and checks that
// resident memory grew by no more than file size + KV cache + activations
// (+10%), and that the anonymous part (heap: copies would land there)
// grew by no more than KV cache + activations + 10% of the file. It uses
// $LIMNX_BENCH_MODEL when set (a Qwen3-0.6B-shaped Q4_K file), else the
// golden qwen3-small-Q4_K. Both bounds get a fixed 1 MiB for the Go
// runtime's own growth, which matters only for the small golden file (a
// copy of its weights would still show as +2.3 MiB anonymous).
func TestZeroCopy(t *testing.T) {
	path := os.Getenv("LIMNX_BENCH_MODEL")
	if path == "" {
		path = filepath.Join(goldenDir, "qwen3-small-Q4_K.gguf")
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	fileKB := int(st.Size() / 1024)
	runtime.GC()
	debug.FreeOSMemory()
	before := procStatusKB(t, "VmRSS", "RssAnon", "RssFile")

	start := time.Now()
	f, err := gguf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	loadTime := time.Since(start)
	afterLoad := procStatusKB(t, "VmRSS")

	const nPrompt, nGen = 8, 16
	s := m.NewState(nPrompt+nGen, 1)
	prompt := []int32{1, 2, 3, 4, 5, 6, 7, 8}
	logits, err := s.Forward(prompt, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range nGen - 1 {
		if logits, err = s.Forward([]int32{sample.Greedy(logits)}, nPrompt+i); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	debug.FreeOSMemory()
	after := procStatusKB(t, "VmRSS", "RssAnon", "RssFile")

	kvKB := s.KV.Bytes() / 1024
	actKB := s.ScratchBytes() / 1024
	budget := fileKB + kvKB + actKB
	rss := after[0] - before[0]
	anon := after[1] - before[1]
	t.Logf("%s: file %d KiB, KV %d KiB, activations %d KiB; load (mmap + parse + tensor lookup) %v, RSS after load +%d KiB",
		filepath.Base(path), fileKB, kvKB, actKB, loadTime, afterLoad[0]-before[0])
	t.Logf("after generating: RSS +%d KiB (%.1f%% of file+KV+activations), anonymous +%d KiB, file-backed +%d KiB",
		rss, 100*float64(rss)/float64(budget), anon, after[2]-before[2])
	const slackKB = 1024
	if rss > budget+budget/10+slackKB {
		t.Errorf("RSS grew by %d KiB, more than 110%% of file + KV + activations (%d KiB)", rss, budget)
	}
	if anon > kvKB+actKB+fileKB/10+slackKB {
		t.Errorf("anonymous RSS grew by %d KiB, more than KV + activations + 10%% of the file (%d KiB): weights copied?",
			anon, kvKB+actKB+fileKB/10)
	}
}
