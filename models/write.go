package main

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// rowFunc makes row number row of a tensor: it writes the row's bytes (in the
// tensor's type) to dst, using f (one row of float32) as scratch.
type rowFunc func(row int, f []float32, dst []byte) error

// slabBytes is roughly how much of a tensor is made in memory before it is
// written: big tensors are streamed in slabs of whole rows.
const slabBytes = 8 << 20

// writeRows makes a tensor of rows rows of rowLen elements (rowBytes bytes each)
// with fn, on threads goroutines, and writes it to w in row order. The result
// does not depend on threads: each row is made alone.
func writeRows(w io.Writer, rows, rowLen, rowBytes, threads int, fn rowFunc, p *progress) error {
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	slabRows := max(1, slabBytes/max(1, rowBytes))
	buf := make([]byte, min(rows, slabRows)*rowBytes)
	scratch := make([][]float32, threads)
	for i := range scratch {
		scratch[i] = make([]float32, rowLen)
	}
	for start := 0; start < rows; start += slabRows {
		n := min(slabRows, rows-start)
		slab := buf[:n*rowBytes]
		var next atomic.Int64
		var wg sync.WaitGroup
		errs := make([]error, threads)
		for g := range min(threads, n) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						return
					}
					if err := fn(start+i, scratch[g], slab[i*rowBytes:(i+1)*rowBytes]); err != nil {
						errs[g] = fmt.Errorf("row %d: %w", start+i, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		if _, err := w.Write(slab); err != nil {
			return err
		}
		p.add(len(slab))
	}
	return nil
}

// progress prints one updating line on stderr: tensors done, bytes, speed.
type progress struct {
	out       io.Writer // nil: silent
	total     int64     // bytes of tensor data in the file
	done      int64
	nTensors  int
	tensor    int
	name      string
	start     time.Time
	lastPrint time.Time
}

func newProgress(out io.Writer, total int64, nTensors int) *progress {
	return &progress{out: out, total: total, nTensors: nTensors, start: time.Now()}
}

// begin notes that tensor i (name) is being made.
func (p *progress) begin(i int, name string) {
	p.tensor, p.name = i, name
	p.print(false)
}

func (p *progress) add(n int) {
	p.done += int64(n)
	p.print(false)
}

// finish prints the final line.
func (p *progress) finish() {
	p.print(true)
	if p.out != nil {
		fmt.Fprintln(p.out)
	}
}

func (p *progress) print(force bool) {
	if p.out == nil || (!force && time.Since(p.lastPrint) < 200*time.Millisecond) {
		return
	}
	p.lastPrint = time.Now()
	secs := time.Since(p.start).Seconds()
	fmt.Fprintf(p.out, "\rmodels: [%d/%d] %-28.28s %8.1f / %.1f MiB  %6.1f MiB/s  %5.1fs ",
		p.tensor+1, p.nTensors, p.name, float64(p.done)/(1<<20), float64(p.total)/(1<<20),
		float64(p.done)/(1<<20)/max(secs, 1e-9), secs)
}
