package model

import (
	"math"

	"github.com/limnx/limnx/ggml/ops"
	"github.com/limnx/limnx/ggml/quant"
)

// attnRowsPerTask is the number of query rows (per query head) one
// attention task computes: a prompt of n tokens is NHeadKV*ceil(n/16)
// tasks, enough for the matmul goroutines to balance the causal triangle
// (later rows attend to more keys), each long enough to hide the hand-off.
const attnRowsPerTask = 16

// attnParallelKeys is the number of query-key pairs (summed over heads and
// query rows) from which a layer's attention runs on the matmul goroutines;
// below it (decoding with a short context) waking them costs more than it
// saves, and the caller runs every task itself.
const attnParallelKeys = 1 << 10

// attention computes one layer's causal softmax(q·Kᵀ·scale)·V over the KV
// cache as tasks (key/value head, block of query rows) for
// MatMul.Parallel; a task computes every query head of its key/value
// head's group (GQA), so they share the keys and values it loads.
//
// A task is two strided matrix products (quant.GemmF32, or GemmF16 over
// an F16 cache) on the operands where they lie: scores (rows, L) = Q (rows, HeadDim) · K[0:L]ᵀ, with the
// queries read inside the token-major query matrix; then, after the causal
// mask and softmax per row, out (rows, HeadDim) = P (rows, L) · V[0:L],
// the transposed value cache's rows being V's columns, written straight
// into the attention output. L is the number of keys the block's last row
// sees. With the Go kernels GemmF32 computes each entry as DotF32 does.
//
// Forward sets the per-call fields before each run; task is made once, so
// decoding does not allocate. Each task takes a scratch from free and puts
// it back, so at most Threads() scratches are in use at once.
type attention struct {
	// Immutable after newAttention.
	nHeadKV, group, hd, qDim, nCtx int
	scale                          float32
	free                           chan []float32 // scores buffers, one per goroutine
	task                           func(i int)    // a.run, made once

	// Set by attend for the call in progress.
	q, out   []float32 // (n, QDim) queries; attention output, heads concatenated
	k, v     []float32 // the layer's F32 cache (see KVCache), or nil
	k16, v16 []uint16  // the layer's F16 cache, or nil
	pos      int       // position of query row 0
	n        int       // query rows
	nBlocks  int       // ceil(n / attnRowsPerTask)
}

func newAttention(c *Config, nCtx, threads int) *attention {
	a := &attention{
		nHeadKV: c.NHeadKV, group: c.NHead / c.NHeadKV, hd: c.HeadDim, qDim: c.QDim(), nCtx: nCtx,
		scale: float32(1 / math.Sqrt(float64(c.HeadDim))),
		free:  make(chan []float32, threads),
	}
	for range threads {
		a.free <- make([]float32, a.scratchLen())
	}
	a.task = a.run
	return a
}

// scratchLen is the length of a task's scores buffer: a block's rows of P,
// and for decode P plus the transposed scores or outputs.
func (a *attention) scratchLen() int {
	return a.group * max(attnRowsPerTask*a.nCtx, a.nCtx+max(a.nCtx, a.hd))
}

// bytes returns the size of the scratch buffers.
func (a *attention) bytes() int {
	return 4 * cap(a.free) * a.scratchLen()
}

// attend sets att (n, QDim) to the attention output of query rows q (n,
// QDim) at positions pos..pos+n-1 over layer l's cache, whose positions 0
// to pos+n-1 are filled.
func (s *State) attend(l int, q, att []float32, n, pos int) {
	a := s.attn
	s.KV.clearValuePad(l, pos+n-1)
	a.q, a.out = q, att
	if s.KV.Type == quant.F16 {
		a.k16, a.v16 = s.KV.K16[l], s.KV.V16[l]
	} else {
		a.k, a.v = s.KV.K[l], s.KV.V[l]
	}
	a.pos, a.n = pos, n
	a.nBlocks = (n + attnRowsPerTask - 1) / attnRowsPerTask
	tasks := a.nHeadKV * a.nBlocks
	if keys := a.nHeadKV * a.group * n * (pos + (n+1)/2); keys >= attnParallelKeys && s.threads > 1 {
		s.mm.Parallel(tasks, a.task)
	} else {
		for i := range tasks {
			a.run(i)
		}
	}
	a.q, a.out, a.k, a.v, a.k16, a.v16 = nil, nil, nil, nil, nil, nil
}

// run computes task i: key/value head i/nBlocks with its group of query
// heads, query rows of block i%nBlocks. Row r attends to keys 0..pos+r.
func (a *attention) run(i int) {
	kvh, b := i/a.nBlocks, i%a.nBlocks
	r0, r1 := b*attnRowsPerTask, min(a.n, (b+1)*attnRowsPerTask)
	nr, hd, nCtx := r1-r0, a.hd, a.nCtx
	L := a.pos + r1     // keys the block's last row sees
	h0 := kvh * a.group // first query head of the group
	p := <-a.free

	if nr == 1 && a.k != nil {
		a.decode(r0, L, a.k[kvh*nCtx*hd:(kvh*nCtx+L)*hd], a.v[kvh*hd*nCtx:(kvh+1)*hd*nCtx], h0, p)
		a.free <- p
		return
	}
	// The query rows, in P's row order (head of the group, row): one run
	// of rows per head, or one of the group's heads (adjacent in the row)
	// when the block is one row.
	runs, perRun, stride := a.group, nr, a.qDim
	if nr == 1 {
		runs, perRun, stride = 1, a.group, hd
	}
	Lp := a.padded(L)
	for g := range runs {
		q := a.q[r0*a.qDim+(h0+g)*hd:]
		a.keys(kvh, L, q, stride, perRun, p[g*perRun*Lp:], Lp)
	}
	for t := range a.group * nr {
		a.weights(p[t*Lp:(t+1)*Lp], a.pos+r0+t%nr+1)
	}
	for g := range runs {
		out := a.out[r0*a.qDim+(h0+g)*hd:]
		a.values(kvh, Lp, p[g*perRun*Lp:], Lp, perRun, out, stride)
	}
	a.free <- p
}

// decode is run for a block of one query row (r0), the decode step: the
// group's query heads (adjacent in the row) are the products' rows and the
// L keys, then the HeadDim value rows, their columns, so that the Gemm
// kernel's tiles of 2 rows x 4 columns are full (the other way round, 2
// query rows would fill half of each tile). Both results come out
// transposed and are turned round in p's spare room: scores (L, group)
// into P (group, Lp), outputs (HeadDim, group) into the attention output.
func (a *attention) decode(r0, L int, k, vt []float32, h0 int, p []float32) {
	hd, nCtx, group := a.hd, a.nCtx, a.group
	Lp := a.padded(L)
	P, spare := p[:group*Lp], p[group*nCtx:] // spare: room for group*max(L, hd) (scratchLen)
	q := a.q[r0*a.qDim+h0*hd:]
	a.mustGemm(hd, q, hd, group, k, hd, L, spare, group)
	for g := range group {
		row := P[g*Lp : (g+1)*Lp]
		for t := range row[:L] {
			row[t] = spare[t*group+g]
		}
		a.weights(row, L) // the row sees all L keys
	}
	a.mustGemm(Lp, P, Lp, group, vt, nCtx, hd, spare, group)
	for g := range group {
		out := a.out[r0*a.qDim+(h0+g)*hd:][:hd]
		for d := range out {
			out[d] = spare[d*group+g]
		}
	}
}

// padded returns the length of P's rows for L keys: L rounded up to the
// Gemm kernel's width of 8 where the cache has room, the extra weights 0,
// so that the value product runs without a scalar tail. The value cells
// past L that it reads are this batch's later positions or cells attend
// cleared (KVCache.clearValuePad), so 0 times a finite number.
func (a *attention) padded(L int) int {
	if r := (L + 7) &^ 7; r <= a.nCtx {
		return r
	}
	return L
}

// weights turns a row of raw scores into attention weights: the first
// seen scaled and softmaxed, the rest (later keys, padding) 0.
func (a *attention) weights(row []float32, seen int) {
	for i := range row[:seen] {
		row[i] *= a.scale
	}
	ops.Softmax(row[:seen])
	clear(row[seen:])
}

// keys sets out[t*outStride + j] = key j of head kvh · query row t for
// j < L and t < nq, the query rows nq rows qStride apart in q.
func (a *attention) keys(kvh, L int, q []float32, qStride, nq int, out []float32, outStride int) {
	hd, nCtx := a.hd, a.nCtx
	var err error
	if a.k16 != nil {
		err = quant.GemmF16(hd, u16Bytes(a.k16[kvh*nCtx*hd:(kvh*nCtx+L)*hd]), hd, L, q, qStride, nq, out, outStride)
	} else {
		err = quant.GemmF32(hd, a.k[kvh*nCtx*hd:(kvh*nCtx+L)*hd], hd, L, q, qStride, nq, out, outStride)
	}
	if err != nil {
		panic("model: attention: Gemm failed on the cache's shapes: " + err.Error())
	}
}

// values sets out[t*outStride + d] = value dimension d of head kvh over
// positions 0..n-1 · weight row t for d < HeadDim and t < np, the weight
// rows np rows pStride apart in p.
func (a *attention) values(kvh, n int, p []float32, pStride, np int, out []float32, outStride int) {
	hd, nCtx := a.hd, a.nCtx
	var err error
	if a.v16 != nil {
		err = quant.GemmF16(n, u16Bytes(a.v16[kvh*hd*nCtx:(kvh+1)*hd*nCtx]), nCtx, hd, p, pStride, np, out, outStride)
	} else {
		err = quant.GemmF32(n, a.v[kvh*hd*nCtx:(kvh+1)*hd*nCtx], nCtx, hd, p, pStride, np, out, outStride)
	}
	if err != nil {
		panic("model: attention: Gemm failed on the cache's shapes: " + err.Error())
	}
}

// mustGemm runs quant.GemmF32 (the F32 decode path). The shapes come from
// the cache and the attention's own buffers, so an error is a broken
// invariant.
func (a *attention) mustGemm(n int, w []float32, wStride, nRows int, x []float32, xStride, nTok int, out []float32, outStride int) {
	if err := quant.GemmF32(n, w, wStride, nRows, x, xStride, nTok, out, outStride); err != nil {
		panic("model: attention: GemmF32 failed on the cache's shapes: " + err.Error())
	}
}
