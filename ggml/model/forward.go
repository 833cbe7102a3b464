package model

import (
	"fmt"

	"github.com/limnx/limnx/ggml/ops"
	"github.com/limnx/limnx/ggml/quant"
)

// State is the run state of one sequence: the KV cache and the scratch
// buffers of Forward, sized for the largest batch seen so far, so decoding
// one token at a time allocates nothing. A State is used by one goroutine
// at a time.
type State struct {
	m  *Model
	KV *KVCache
	mm *quant.MatMul // quantizes activations as ggml's CPU backend does; holds its own scratch

	nBatch int        // capacity of the batch buffers, in tokens
	x      []float32  // (nBatch, NEmbd) residual stream
	xb     []float32  // (nBatch, NEmbd) normalized input of a sublayer, then its output
	q      []float32  // (nBatch, QDim)
	k      []float32  // (nBatch, KVDim)
	v      []float32  // (nBatch, KVDim)
	att    []float32  // (nBatch, QDim) attention output, heads concatenated
	hb     []float32  // (nBatch, NFF) gate, then swiglu(gate, up)
	hb2    []float32  // (nBatch, NFF) up
	rope   []float32  // (nBatch, NRot) cos/sin pairs per position
	logits []float32  // (NVocab)
	attn   *attention // per-head attention tasks and their scores buffers

	threads int         // s.mm.Threads()
	rows    rowJob      // the eachRow call in progress
	rowTask func(i int) // s.rowChunk, made once
}

// NewState returns a State with an F32 KV cache for nCtx positions (the
// precision of llama.cpp's reference runs); matrix multiplies use threads
// goroutines (<= 0: one per CPU).
func (m *Model) NewState(nCtx, threads int) *State {
	s, err := m.NewStateKV(nCtx, threads, quant.F32)
	if err != nil {
		panic("model: NewState: " + err.Error()) // an F32 cache cannot fail
	}
	return s
}

// NewStateKV is NewState with a KV cache of type kvType: F32, or F16 (half
// the memory and attention traffic; llama.cpp's default).
func (m *Model) NewStateKV(nCtx, threads int, kvType quant.Type) (*State, error) {
	c := &m.Config
	kv, err := NewKVCache(c, nCtx, kvType)
	if err != nil {
		return nil, err
	}
	s := &State{
		m:      m,
		KV:     kv,
		logits: make([]float32, c.NVocab),
		mm:     quant.NewMatMul(threads),
	}
	s.threads = s.mm.Threads()
	s.attn = newAttention(c, nCtx, s.threads)
	s.rowTask = s.rowChunk
	s.grow(1)
	return s, nil
}

// ScratchBytes returns the size of the State's activation buffers (the KV
// cache not included).
func (s *State) ScratchBytes() int {
	n := 0
	for _, b := range [][]float32{s.x, s.xb, s.q, s.k, s.v, s.att, s.hb, s.hb2, s.rope, s.logits} {
		n += 4 * len(b)
	}
	n += s.attn.bytes()
	return n
}

// Close stops the State's matmul worker goroutines. A State may be used
// again after Close (the workers restart).
func (s *State) Close() { s.mm.Close() }

// grow makes the batch buffers hold n tokens.
func (s *State) grow(n int) {
	if n <= s.nBatch {
		return
	}
	c := &s.m.Config
	s.nBatch = n
	s.x = make([]float32, n*c.NEmbd)
	s.xb = make([]float32, n*c.NEmbd)
	s.q = make([]float32, n*c.QDim())
	s.k = make([]float32, n*c.KVDim())
	s.v = make([]float32, n*c.KVDim())
	s.att = make([]float32, n*c.QDim())
	s.hb = make([]float32, n*c.NFF)
	s.hb2 = make([]float32, n*c.NFF)
	s.rope = make([]float32, n*c.NRot)
}

// matmul sets out (n, m.Rows) = x (n, m.Cols) times m transposed. This is
// where the time goes: quant.MatMul quantizes x to the weight type's
// activation format and runs the per-block integer dot products across
// goroutines.
func (s *State) matmul(m *Matrix, x []float32, n int, out []float32) {
	if n == 1 {
		s.mm.MatVec(m.Type, m.Data, m.Rows, m.Cols, x[:m.Cols], out[:m.Rows])
		return
	}
	s.mm.MatMat(m.Type, m.Data, m.Rows, m.Cols, x[:n*m.Cols], n, out[:n*m.Rows])
}

// product is the quant.Product of m for n tokens, into out.
func product(m *Matrix, n int, out []float32) quant.Product {
	return quant.Product{Type: m.Type, W: m.Data, Rows: m.Rows, Cols: m.Cols, Out: out[:n*m.Rows]}
}

// matmul2 is matmul for two matrices with the same input x, in one
// quant.MatMul call (one activation quantization, one hand-off).
func (s *State) matmul2(x []float32, n int, a *Matrix, aOut []float32, b *Matrix, bOut []float32) {
	s.mm.MatMatN(x[:n*a.Cols], n, product(a, n, aOut), product(b, n, bOut))
}

// matmul3 is matmul2 for three matrices.
func (s *State) matmul3(x []float32, n int, a *Matrix, aOut []float32, b *Matrix, bOut []float32, c *Matrix, cOut []float32) {
	s.mm.MatMatN(x[:n*a.Cols], n, product(a, n, aOut), product(b, n, bOut), product(c, n, cOut))
}

// Forward runs tokens (a prompt batch, or one token when decoding) at
// positions pos, pos+1, ..., appending their keys and values to the cache,
// and returns the logits of the last token (NVocab values, valid until the
// next call). It fails for an empty batch, a position outside the cache or
// a token id outside the vocabulary.
func (s *State) Forward(tokens []int32, pos int) ([]float32, error) {
	c := &s.m.Config
	w := &s.m.Weights
	n := len(tokens)
	if n == 0 {
		return nil, fmt.Errorf("model: forward: no tokens")
	}
	if pos < 0 || pos+n > s.KV.NCtx {
		return nil, fmt.Errorf("model: forward: positions %d..%d outside the cache (%d)", pos, pos+n-1, s.KV.NCtx)
	}
	for _, tok := range tokens {
		if tok < 0 || int(tok) >= c.NVocab {
			return nil, fmt.Errorf("model: forward: token %d outside the vocabulary (%d)", tok, c.NVocab)
		}
	}
	s.grow(n)
	dim, qDim, kvDim := c.NEmbd, c.QDim(), c.KVDim()
	rp := s.ropeParams()
	x, xb := s.x[:n*dim], s.xb[:n*dim]
	q, k, v, att := s.q[:n*qDim], s.k[:n*kvDim], s.v[:n*kvDim], s.att[:n*qDim]
	hb, hb2 := s.hb[:n*c.NFF], s.hb2[:n*c.NFF]

	// Token embeddings: plain dequantization of one row each (ggml get_rows).
	for i, tok := range tokens {
		if err := quant.Dequantize(w.TokenEmbd.Type, w.TokenEmbd.Row(int(tok)), x[i*dim:(i+1)*dim]); err != nil {
			return nil, fmt.Errorf("model: forward: embedding of token %d: %w", tok, err)
		}
	}
	// RoPE angles of every position in the batch, shared by all layers.
	for i := range n {
		ops.RopeCache(s.rope[i*c.NRot:(i+1)*c.NRot], pos+i, rp, w.RopeFreqs)
	}

	for l := range w.Layers {
		L := &w.Layers[l]

		// Attention: norm, Q/K/V projections (+ biases).
		s.eachRow(rowAttnNorm, l, n, pos)
		s.matmul3(xb, n, &L.Wq, q, &L.Wk, k, &L.Wv, v)
		addBias(q, L.Bq)
		addBias(k, L.Bk)
		addBias(v, L.Bv)

		// QK-norm (qwen3), RoPE, then append K and V to the cache.
		s.eachRow(rowQKRope, l, n, pos)

		// Causal attention of every query head over the cache.
		s.attend(l, q, att, n, pos)

		// Output projection and residual.
		s.matmul(&L.Wo, att, n, xb)
		addBias(xb, L.Bo)
		ops.Add(x, xb)

		// Feed-forward: norm, SwiGLU, down projection, residual.
		s.eachRow(rowFFNNorm, l, n, pos)
		s.matmul2(xb, n, &L.Gate, hb, &L.Up, hb2)
		s.eachRow(rowSwiGLU, l, n, pos)
		s.matmul(&L.Down, hb, n, xb)
		ops.Add(x, xb)
	}

	// Final norm and classifier, for the last token only.
	last := xb[:dim]
	ops.RMSNorm(last, x[(n-1)*dim:n*dim], w.OutputNorm, c.RMSEps)
	s.matmul(&w.Output, last, 1, s.logits)
	return s.logits, nil
}

// addBias adds bias (one row) to every row of x; nil bias does nothing.
func addBias(x, bias []float32) {
	if bias == nil {
		return
	}
	for i := 0; i < len(x); i += len(bias) {
		ops.Add(x[i:i+len(bias)], bias)
	}
}

// ropeParams returns the model's RoPE parameters.
func (s *State) ropeParams() ops.RopeParams {
	c := &s.m.Config
	return ops.RopeParams{NDims: c.NRot, Base: c.RopeBase, FreqScale: c.RopeFreqScale, NeoX: c.RopeNeoX}
}

// rowOp names a per-token step of Forward that eachRow spreads over the
// matmul goroutines for a prompt batch.
type rowOp int

const (
	rowAttnNorm rowOp = iota // xb = rmsnorm(x) * attn_norm
	rowQKRope                // QK-norm (qwen3) and RoPE of q and k; k, v appended to the cache
	rowFFNNorm               // xb = rmsnorm(x) * ffn_norm
	rowSwiGLU                // hb = silu(hb) * hb2
)

// rowJob is one eachRow call: step op of layer l for tokens 0..n-1 (at
// positions pos..), chunk tokens per task.
type rowJob struct {
	op               rowOp
	l, n, pos, chunk int
}

// eachRowMin is the batch size from which eachRow uses the matmul
// goroutines; smaller batches (decoding) run on the caller.
const eachRowMin = 16

// eachRow runs step op of layer l for every token of the batch: on the
// calling goroutine for a small batch, else in chunks of tokens on the
// matmul goroutines. It does not allocate.
func (s *State) eachRow(op rowOp, l, n, pos int) {
	if n < eachRowMin || s.threads < 2 {
		s.rowStep(op, l, pos, 0, n)
		return
	}
	chunk := (n + 4*s.threads - 1) / (4 * s.threads)
	s.rows = rowJob{op: op, l: l, n: n, pos: pos, chunk: chunk}
	s.mm.Parallel((n+chunk-1)/chunk, s.rowTask)
}

// rowChunk runs chunk i of the eachRow call in progress.
func (s *State) rowChunk(i int) {
	j := &s.rows
	i0 := i * j.chunk
	s.rowStep(j.op, j.l, j.pos, i0, min(j.n, i0+j.chunk))
}

// rowStep runs step op of layer l for tokens i0..i1-1 of the batch.
func (s *State) rowStep(op rowOp, l, pos, i0, i1 int) {
	c := &s.m.Config
	L := &s.m.Weights.Layers[l]
	dim, qDim, kvDim, hd, nff := c.NEmbd, c.QDim(), c.KVDim(), c.HeadDim, c.NFF
	switch op {
	case rowAttnNorm, rowFFNNorm:
		w := L.AttnNorm
		if op == rowFFNNorm {
			w = L.FFNNorm
		}
		for i := i0; i < i1; i++ {
			ops.RMSNorm(s.xb[i*dim:(i+1)*dim], s.x[i*dim:(i+1)*dim], w, c.RMSEps)
		}
	case rowQKRope:
		rp := s.ropeParams()
		for i := i0; i < i1; i++ {
			qi, ki, vi := s.q[i*qDim:(i+1)*qDim], s.k[i*kvDim:(i+1)*kvDim], s.v[i*kvDim:(i+1)*kvDim]
			if c.QKNorm {
				for h := 0; h < qDim; h += hd {
					ops.RMSNorm(qi[h:h+hd], qi[h:h+hd], L.QNorm, c.RMSEps)
				}
				for h := 0; h < kvDim; h += hd {
					ops.RMSNorm(ki[h:h+hd], ki[h:h+hd], L.KNorm, c.RMSEps)
				}
			}
			cs := s.rope[i*c.NRot : (i+1)*c.NRot]
			ops.Rope(qi, hd, cs, rp)
			ops.Rope(ki, hd, cs, rp)
			s.KV.store(l, pos+i, ki, vi)
		}
	case rowSwiGLU:
		h := s.hb[i0*nff : i1*nff]
		ops.SwiGLU(h, h, s.hb2[i0*nff:i1*nff])
	}
}
