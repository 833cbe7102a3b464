package model

import (
	"math"
	"unsafe"

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
// With a block of at least 4 rows and an F32 Gemm kernel installed
// (prompt processing on the fast path), a task runs two small matrix
// products: scores (rows, L) = Q (rows, HeadDim) · K[0:L]ᵀ, then, after the
// causal mask and softmax per row, out (rows, HeadDim) = P (rows, L) · V[0:L]
// with the value cache's transposed rows copied to a contiguous (HeadDim,
// L) block, L being the keys the block's last row sees. Otherwise (decode,
// Go kernels) it scores the keys with the F32 VecDotRows (quant.DotF32 per
// key on the Go path), then takes one DotF32 per value dimension.
//
// Forward sets the per-call fields before each run; task is made once, so
// decoding does not allocate. Each task takes a scratch from free and puts
// it back, so at most Threads() scratches are in use at once.
type attention struct {
	// Immutable after newAttention.
	nHeadKV, group, hd, qDim, nCtx int
	scale                          float32
	free                           chan *attnScratch // one per goroutine
	task                           func(i int)       // a.run, made once

	// Set by attend for the call in progress.
	gemm    quant.GemmFunc       // the F32 row's Gemm, nil on the Go path
	dotRows quant.VecDotRowsFunc // the F32 row's VecDotRows, nil on the Go path
	q, out  []float32            // (n, QDim) queries; attention output, heads concatenated
	k, v    []float32            // the layer's cache (see KVCache)
	pos     int                  // position of query row 0
	n       int                  // query rows
	nBlocks int                  // ceil(n / attnRowsPerTask)
}

// attnScratch is one goroutine's attention buffers.
type attnScratch struct {
	q  []float32 // (group*attnRowsPerTask, HeadDim) the task's query rows
	p  []float32 // (group*attnRowsPerTask, NCtx) scores, then weights; row stride L
	vt []float32 // (HeadDim, NCtx) value rows 0..L-1 transposed; row stride L
	o  []float32 // (group*attnRowsPerTask, HeadDim) output rows
}

func newAttention(c *Config, nCtx, threads int) *attention {
	a := &attention{
		nHeadKV: c.NHeadKV, group: c.NHead / c.NHeadKV, hd: c.HeadDim, qDim: c.QDim(), nCtx: nCtx,
		scale: float32(1 / math.Sqrt(float64(c.HeadDim))),
		free:  make(chan *attnScratch, threads),
	}
	rows := a.group * attnRowsPerTask
	for range threads {
		a.free <- &attnScratch{
			q:  make([]float32, rows*a.hd),
			p:  make([]float32, rows*nCtx),
			vt: make([]float32, a.hd*nCtx),
			o:  make([]float32, rows*a.hd),
		}
	}
	a.task = a.run
	return a
}

// bytes returns the size of the scratch buffers.
func (a *attention) bytes() int {
	rows := a.group * attnRowsPerTask
	return 4 * cap(a.free) * (2*rows*a.hd + rows*a.nCtx + a.hd*a.nCtx)
}

// attend sets att (n, QDim) to the attention output of query rows q (n,
// QDim) at positions pos..pos+n-1 over layer l's cache, whose positions 0
// to pos+n-1 are filled.
func (s *State) attend(l int, q, att []float32, n, pos int) {
	a := s.attn
	f32, _ := quant.F32.Traits()
	a.gemm, a.dotRows = f32.Gemm, f32.VecDotRows
	a.q, a.out, a.k, a.v = q, att, s.KV.K[l], s.KV.V[l]
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
	a.q, a.out, a.k, a.v = nil, nil, nil, nil
}

// run computes task i: key/value head i/nBlocks with its group of query
// heads, query rows of block i%nBlocks. Row r attends to keys 0..pos+r.
func (a *attention) run(i int) {
	kvh, b := i/a.nBlocks, i%a.nBlocks
	r0, r1 := b*attnRowsPerTask, min(a.n, (b+1)*attnRowsPerTask)
	nr, hd, nCtx := r1-r0, a.hd, a.nCtx
	L := a.pos + r1 // keys the block's last row sees
	k := a.k[kvh*nCtx*hd : (kvh*nCtx+L)*hd]
	vt := a.v[kvh*hd*nCtx : (kvh+1)*hd*nCtx]
	h0 := kvh * a.group // first query head of the group
	rows := a.group * nr
	sc := <-a.free
	if a.gemm == nil || rows < 4 {
		// One dot product per key, then one per value dimension (the
		// value cache is transposed, so both run over contiguous rows).
		for g := range a.group {
			for r := r0; r < r1; r++ {
				qh := a.q[r*a.qDim+(h0+g)*hd:][:hd]
				p := sc.p[:a.pos+r+1]
				if a.dotRows != nil {
					a.dotRows(hd, f32Bytes(k[:len(p)*hd]), f32Bytes(qh), p)
					for t := range p {
						p[t] *= a.scale
					}
				} else {
					for t := range p {
						p[t] = quant.DotF32(qh, k[t*hd:]) * a.scale
					}
				}
				ops.Softmax(p)
				out := a.out[r*a.qDim+(h0+g)*hd:][:hd]
				for d := range out {
					out[d] = quant.DotF32(p, vt[d*nCtx:])
				}
			}
		}
		a.free <- sc
		return
	}

	// Query rows in the order (head of the group, row): row t = g*nr + j.
	for g := range a.group {
		for j := range nr {
			copy(sc.q[(g*nr+j)*hd:][:hd], a.q[(r0+j)*a.qDim+(h0+g)*hd:])
		}
	}
	// Rows of P and of the copied values are padded with zeros to Lp, a
	// multiple of 8 keys (the Gemm kernel's width) when the buffers have
	// room: the padding adds nothing and spares the kernel its scalar tail.
	Lp := L
	if r := (L + 7) &^ 7; r <= nCtx {
		Lp = r
	}
	p := sc.p[:rows*Lp]
	a.mustGemm(hd, k, L, sc.q[:rows*hd], rows, p, Lp)
	for t := range rows {
		row := p[t*Lp : (t+1)*Lp]
		seen := a.pos + r0 + t%nr + 1 // causal mask: later keys get weight 0
		for i := range row[:seen] {
			row[i] *= a.scale
		}
		ops.Softmax(row[:seen])
		clear(row[seen:])
	}
	v := sc.vt[:hd*Lp]
	for d := range hd {
		copy(v[d*Lp:d*Lp+L], vt[d*nCtx:])
		clear(v[d*Lp+L : (d+1)*Lp])
	}
	o := sc.o[:rows*hd]
	a.mustGemm(Lp, v, hd, p, rows, o, hd)
	for g := range a.group {
		for j := range nr {
			copy(a.out[(r0+j)*a.qDim+(h0+g)*hd:][:hd], o[(g*nr+j)*hd:])
		}
	}
	a.free <- sc
}

// mustGemm runs the F32 Gemm: out[t*outStride + r] = w row r · x row t for
// nRows rows of n values in w and nTok rows of n values in x. The shapes
// come from the attention's own buffers, so an error is a broken
// invariant.
func (a *attention) mustGemm(n int, w []float32, nRows int, x []float32, nTok int, out []float32, outStride int) {
	if err := a.gemm(n, f32Bytes(w), nRows, x, nTok, out, outStride); err != nil {
		panic("model: attention: Gemm failed on its own buffer shapes: " + err.Error())
	}
}

// f32Bytes views x as the bytes of an F32 row (little-endian: the kernels
// that take them exist only on amd64 and arm64).
func f32Bytes(x []float32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), 4*len(x))
}
