package model

import (
	"math"

	"github.com/limnx/limnx/ggml/ops"
	"github.com/limnx/limnx/ggml/quant"
)

// attnRowsPerTask is the number of query rows of one head that one
// attention task computes: a prompt of n tokens is NHead*ceil(n/16) tasks,
// enough for the matmul goroutines to balance the causal triangle (later
// rows attend to more keys), each long enough to hide the hand-off.
const attnRowsPerTask = 16

// attnParallelKeys is the number of query-key pairs (summed over heads and
// query rows) from which a layer's attention runs on the matmul goroutines;
// below it (decoding with a short context) waking them costs more than it
// saves, and the caller runs every task itself.
const attnParallelKeys = 16 << 10

// attention computes one layer's causal softmax(q·Kᵀ·scale)·V over the KV
// cache as tasks (query head, block of query rows) for MatMul.Parallel.
// Forward sets the per-call fields before each run; task is made once, so
// decoding does not allocate. Query head h reads key/value head h/group
// (GQA). Each task takes a scores buffer from free and puts it back, so at
// most Threads() buffers are in use at once.
type attention struct {
	// Immutable after newAttention.
	nHead, group, hd, qDim, kvDim int
	scale                         float32
	free                          chan []float32 // scores buffers of NCtx values, one per goroutine
	task                          func(i int)    // a.run, made once

	// Set by attend for the call in progress.
	q, out  []float32 // (n, QDim) queries; attention output, heads concatenated
	k, v    []float32 // the layer's cache, (NCtx, KVDim)
	pos     int       // position of query row 0
	n       int       // query rows
	nBlocks int       // ceil(n / attnRowsPerTask)
}

func newAttention(c *Config, nCtx, threads int) *attention {
	a := &attention{
		nHead: c.NHead, group: c.NHead / c.NHeadKV, hd: c.HeadDim, qDim: c.QDim(), kvDim: c.KVDim(),
		scale: float32(1 / math.Sqrt(float64(c.HeadDim))),
		free:  make(chan []float32, threads),
	}
	for range threads {
		a.free <- make([]float32, nCtx)
	}
	a.task = a.run
	return a
}

// attend sets att (n, QDim) to the attention output of query rows q (n,
// QDim) at positions pos..pos+n-1 over layer l's cache, whose rows 0 to
// pos+n-1 are filled.
func (s *State) attend(l int, q, att []float32, n, pos int) {
	a := s.attn
	a.q, a.out, a.k, a.v = q, att, s.KV.K[l], s.KV.V[l]
	a.pos, a.n = pos, n
	a.nBlocks = (n + attnRowsPerTask - 1) / attnRowsPerTask
	tasks := a.nHead * a.nBlocks
	if keys := a.nHead * n * (pos + (n+1)/2); keys >= attnParallelKeys && s.mm.Threads() > 1 {
		s.mm.Parallel(tasks, a.task)
	} else {
		for i := range tasks {
			a.run(i)
		}
	}
	a.q, a.out, a.k, a.v = nil, nil, nil, nil
}

// run computes task i: query head i/nBlocks, rows of block i%nBlocks. For
// each row it takes the scaled dot products with every key up to its own
// position (the causal mask), softmax, then sums the value rows weighted
// by the result.
func (a *attention) run(i int) {
	h, b := i/a.nBlocks, i%a.nBlocks
	kvOff := (h / a.group) * a.hd
	hd, qDim, kvDim := a.hd, a.qDim, a.kvDim
	buf := <-a.free
	for r := b * attnRowsPerTask; r < min(a.n, (b+1)*attnRowsPerTask); r++ {
		qh := a.q[r*qDim+h*hd : r*qDim+(h+1)*hd]
		sc := buf[:a.pos+r+1]
		k := a.k[kvOff:]
		for t := range sc {
			sc[t] = quant.DotF32(qh, k[t*kvDim:t*kvDim+hd]) * a.scale
		}
		ops.Softmax(sc)
		out := a.out[r*qDim+h*hd : r*qDim+(h+1)*hd]
		clear(out)
		v := a.v[kvOff:]
		for t, w := range sc {
			quant.AxpyF32(w, v[t*kvDim:t*kvDim+hd], out)
		}
	}
	a.free <- buf
}
