package main

import (
	"fmt"
	"io"
	"strings"
)

// row is one line of the table: one engine, thread count and test.
type row struct {
	engine  string // "limnx" or "llama.cpp"
	model   string
	nBytes  int64 // bytes of all tensors
	nParams int64
	typ     string
	threads int
	test    string // pp512, tg128, ...
	tg      bool   // a decode test, for the weights-streamed column
	mean    float64
	sd      float64 // tokens/s

	allocsPerToken float64 // limnx only: heap allocations per token over the timed runs
}

// writeTable prints rows as a markdown table in llama-bench's layout, plus
// two columns: the Limnx/llama.cpp ratio of mean t/s for the same threads
// and test, and for tg rows the weight bytes streamed per second (mi's
// streamBytes times t/s) with its share of the copy bandwidth bw (by
// thread count, in bytes/s; absent thread counts get no share).
func writeTable(w io.Writer, rows []row, mi modelInfo, bw map[int]float64) {
	header := []string{"engine", "model", "size", "params", "type", "threads", "test", "t/s", "limnx/llama.cpp", "weights GB/s"}
	right := []bool{false, false, true, true, false, true, true, true, true, true}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		ratio := ""
		if r.engine == "limnx" {
			for _, o := range rows {
				if o.engine == "llama.cpp" && o.threads == r.threads && o.test == r.test {
					ratio = fmt.Sprintf("%.2fx", r.mean/o.mean)
					break
				}
			}
		}
		streamed := ""
		if r.tg {
			gbs := float64(mi.streamBytes) * r.mean / 1e9
			streamed = fmt.Sprintf("%.2f", gbs)
			if b := bw[r.threads]; b > 0 {
				streamed += fmt.Sprintf(" (%.0f%%)", 100*gbs*1e9/b)
			}
		}
		cells[i] = []string{r.engine, r.model, formatSize(r.nBytes), formatParams(r.nParams), r.typ,
			fmt.Sprint(r.threads), r.test, fmt.Sprintf("%.2f ± %.2f", r.mean, r.sd), ratio, streamed}
	}
	width := make([]int, len(header))
	for j, h := range header {
		width[j] = len([]rune(h))
		for _, c := range cells {
			width[j] = max(width[j], len([]rune(c[j])))
		}
	}
	line := func(fields []string) {
		var b strings.Builder
		b.WriteString("|")
		for j, f := range fields {
			pad := strings.Repeat(" ", width[j]-len([]rune(f)))
			if right[j] {
				b.WriteString(" " + pad + f + " |")
			} else {
				b.WriteString(" " + f + pad + " |")
			}
		}
		fmt.Fprintln(w, b.String())
	}
	line(header)
	sep := make([]string, len(header))
	for j := range sep {
		sep[j] = strings.Repeat("-", width[j])
		if right[j] {
			sep[j] = strings.Repeat("-", width[j]-1) + ":"
		}
	}
	line(sep)
	for _, c := range cells {
		line(c)
	}
}

// formatSize prints a byte count as llama-bench does: MiB below 1 GiB,
// else GiB.
func formatSize(n int64) string {
	if n < 1<<30 {
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

// formatParams prints a parameter count as llama-bench does: M below a
// billion, else B.
func formatParams(n int64) string {
	if n < 1e9 {
		return fmt.Sprintf("%.2f M", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f B", float64(n)/1e9)
}
