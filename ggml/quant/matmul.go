package quant

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// MatMul multiplies row-major quantized weight matrices by float32
// activations. The activations are quantized once per call to the weight
// type's VecDotType (Traits.QuantizeAct), then the weight rows are split
// into chunks that a persistent pool of worker goroutines (plus the
// calling goroutine) take in turn. Each chunk runs the table's kernels:
// for one token VecDotRows (or VecDot per row); for several tokens Gemm
// (float weights), else VecDotTile or VecDotTokens over tiles of tokens
// (or VecDot per row and token), so that each weight row is reused for many tokens while
// it is in cache. Installing faster kernels (UseFastKernels, SetVecDot)
// speeds MatMul up without changing it. This is where a forward pass
// spends its time.
//
// After the first call with the largest shapes, calls do not allocate.
// A MatMul serializes its own calls (mu); use one per concurrent caller to
// run matmuls in parallel. The zero value is ready to use with
// runtime.NumCPU() threads; Close stops the workers.
type MatMul struct {
	mu      sync.Mutex // held for a whole MatVec/MatMat call
	threads int        // goroutines working on a call, the caller included; immutable after start
	started bool
	wake    chan struct{} // one token per worker per call; closed by Close
	done    sync.WaitGroup

	act  []byte    // scratch: the quantized activations, grown as needed
	xr   []float32 // scratch: activations rounded to F16/BF16 for Gemm, grown as needed
	job  matJob    // the call in progress, written before wake and read by workers
	next atomic.Int64
}

// matJob describes one call: which rows to compute and how.
type matJob struct {
	n        int // elements per row (cols)
	rows     int
	nTok     int
	rowBytes int
	actBytes int // bytes of one token's quantized activations
	chunk    int // rows per chunk
	tokTile  int // tokens per VecDotTokens call
	w        []byte
	act      []byte    // nTok rows of actBytes
	x        []float32 // for gemm: nTok rows of n float32 activations
	out      []float32
	dot      VecDotFunc
	dotRows  VecDotRowsFunc
	tokens   VecDotTokensFunc
	tile     VecDotTileFunc
	gemm     GemmFunc
	task     func(i int) // set by Parallel: rows are task indices

	// prep jobs: rows are tokens whose activations are quantized (and,
	// when toFloat is set, rounded back to float32 into xr).
	quantize func(src []float32, dst []byte)
	toFloat  func(src []byte, dst []float32)
	xr       []float32
}

// VecDotRowsFunc computes out[i] = VecDot(n, row i, act) for len(out)
// consecutive weight rows in w (each n elements), for kernels that share
// activation loads across rows. It is optional (Traits.VecDotRows).
type VecDotRowsFunc = func(n int, w []byte, act []byte, out []float32)

// tokTile is the number of tokens MatMat computes against each weight row
// while that row is hot in cache, when it calls VecDot per token.
const tokTile = 8

// tileActBytes bounds the activations of one tile of tokens given to
// VecDotTokens: they stay in L2 while every row of a chunk runs over them.
const tileActBytes = 256 << 10

// NewMatMul returns a MatMul using threads goroutines per call (the caller
// included); threads <= 0 means runtime.NumCPU().
func NewMatMul(threads int) *MatMul {
	m := &MatMul{}
	m.threads = threads
	return m
}

// Threads returns the number of goroutines a call uses.
func (m *MatMul) Threads() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.start()
	return m.threads
}

// start launches the workers once. m.mu must be held.
func (m *MatMul) start() {
	if m.started {
		return
	}
	m.started = true
	if m.threads <= 0 {
		m.threads = runtime.NumCPU()
	}
	m.wake = make(chan struct{}, m.threads)
	for i := 1; i < m.threads; i++ {
		go m.worker(m.wake)
	}
}

// Close stops the worker goroutines. A later call starts them again.
func (m *MatMul) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.started {
		close(m.wake)
		m.wake = nil
		m.started = false
	}
}

// worker runs chunks each time it is woken, until wake is closed.
func (m *MatMul) worker(wake <-chan struct{}) {
	for range wake {
		m.runChunks()
		m.done.Done()
	}
}

// runChunks computes chunks of rows until none is left.
func (m *MatMul) runChunks() {
	j := &m.job
	for {
		r0 := int(m.next.Add(1)-1) * j.chunk
		if r0 >= j.rows {
			return
		}
		j.compute(r0, min(r0+j.chunk, j.rows))
	}
}

// compute fills the outputs of rows r0..r1-1 for every token.
func (j *matJob) compute(r0, r1 int) {
	switch {
	case j.quantize != nil:
		for t := r0; t < r1; t++ {
			a := j.act[t*j.actBytes : (t+1)*j.actBytes]
			j.quantize(j.x[t*j.n:(t+1)*j.n], a)
			if j.toFloat != nil {
				j.toFloat(a, j.xr[t*j.n:(t+1)*j.n])
			}
		}
	case j.task != nil:
		for i := r0; i < r1; i++ {
			j.task(i)
		}
	case j.nTok == 1 && j.dotRows != nil:
		j.dotRows(j.n, j.w[r0*j.rowBytes:r1*j.rowBytes], j.act[:j.actBytes], j.out[r0:r1])
	case j.gemm != nil:
		// out[r0:] holds (nTok-1)*rows + (r1-r0) values, as gemm needs.
		if err := j.gemm(j.n, j.w[r0*j.rowBytes:r1*j.rowBytes], r1-r0, j.x, j.nTok, j.out[r0:], j.rows); err != nil {
			panic("quant: matmul: Gemm failed on checked shapes: " + err.Error())
		}
	case j.tile != nil:
		// For each tile of tokens (in L2), the chunk's rows against all of
		// them; the kernel tiles rows x tokens in registers.
		for t0 := 0; t0 < j.nTok; t0 += j.tokTile {
			nt := min(j.tokTile, j.nTok-t0)
			act := j.act[t0*j.actBytes : (t0+nt)*j.actBytes]
			j.tile(j.n, j.w[r0*j.rowBytes:r1*j.rowBytes], j.rowBytes, r1-r0, act, j.actBytes, nt, j.out[t0*j.rows+r0:], j.rows)
		}
	case j.tokens != nil:
		// For each tile of tokens (in L2), each row (in L1) against all
		// of them.
		for t0 := 0; t0 < j.nTok; t0 += j.tokTile {
			nt := min(j.tokTile, j.nTok-t0)
			act := j.act[t0*j.actBytes : (t0+nt)*j.actBytes]
			for r := r0; r < r1; r++ {
				j.tokens(j.n, j.w[r*j.rowBytes:(r+1)*j.rowBytes], act, j.actBytes, nt, j.out[t0*j.rows+r:], j.rows)
			}
		}
	default:
		for t0 := 0; t0 < j.nTok; t0 += tokTile {
			t1 := min(t0+tokTile, j.nTok)
			for r := r0; r < r1; r++ {
				row := j.w[r*j.rowBytes : (r+1)*j.rowBytes]
				for t := t0; t < t1; t++ {
					j.out[t*j.rows+r] = j.dot(j.n, row, j.act[t*j.actBytes:(t+1)*j.actBytes])
				}
			}
		}
	}
}

// MatVec sets out[r] = dot(row r of W, x) for the rows x cols matrix W
// stored row-major in type t in w (w may be longer; the rest is ignored).
// len(x) must be cols and len(out) rows. A bad shape or an unsupported
// type is a broken invariant of the caller (shapes come from a validated
// model) and panics with a message naming it; Check reports the same
// conditions as an error.
func (m *MatMul) MatVec(t Type, w []byte, rows, cols int, x []float32, out []float32) {
	m.MatMat(t, w, rows, cols, x, 1, out)
}

// MatMat computes nTok matrix-vector products at once: x holds nTok
// tokens of cols values (token-major), and out[tok*rows + r] = dot(row r
// of W, token tok). Each weight row is used for a tile of tokens while
// it is in cache. Shapes are as for MatVec, with len(x) = nTok*cols and
// len(out) = nTok*rows.
func (m *MatMul) MatMat(t Type, w []byte, rows, cols int, x []float32, nTok int, out []float32) {
	if err := Check(t, w, rows, cols, x, nTok, out); err != nil {
		panic(err.Error())
	}
	if rows == 0 || nTok == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.start()
	tr := &traits[t]
	actBytes, _ := RowSize(tr.VecDotType, cols)
	job := matJob{
		n: cols, rows: rows, nTok: nTok, rowBytes: cols / tr.BlockSize * tr.TypeSize, actBytes: actBytes,
		w: w, out: out, dot: tr.VecDot, dotRows: tr.VecDotRows, tokens: tr.VecDotTokens, tile: tr.VecDotTile,
	}
	quantizeAct := traits[tr.VecDotType].QuantizeAct
	if gemm := tr.Gemm; gemm != nil && nTok > 1 {
		// Gemm takes float32 activations: those of an F16 or BF16 matmul
		// are rounded to that type first, as ggml does, so the products
		// are the ones VecDot computes.
		job.gemm, job.x = gemm, x
		if tr.VecDotType != F32 {
			m.act = grow(m.act, nTok*actBytes)
			m.xr = grow(m.xr, nTok*cols)
			m.prepare(quantizeAct, traits[tr.VecDotType].ToFloat, x, cols, nTok, m.act[:nTok*actBytes], actBytes, m.xr[:nTok*cols])
			job.x = m.xr[:nTok*cols]
		}
	} else {
		m.act = grow(m.act, nTok*actBytes)
		job.act = m.act[:nTok*actBytes]
		m.prepare(quantizeAct, nil, x, cols, nTok, job.act, actBytes, nil)
		if job.tokTile = max(4, tileActBytes/max(1, actBytes)&^3); job.tokTile > nTok {
			job.tokTile = nTok
		}
	}
	// Chunks: about 4 per thread for balance, at least 4 rows each, an
	// even number (Gemm computes rows in pairs).
	job.chunk = max(4, ((rows+4*m.threads-1)/(4*m.threads)+1)&^1)
	m.run(job)
}

// prepare quantizes nTok tokens of cols activations from x into act
// (actBytes per token) and, when toFloat is not nil, rounds them back into
// xr: on the calling goroutine for few tokens, else spread over the
// workers like matmul rows, so that prompt processing does not wait on a
// serial pass over the activations. m.mu must be held.
func (m *MatMul) prepare(quantize func([]float32, []byte), toFloat func([]byte, []float32), x []float32, cols, nTok int, act []byte, actBytes int, xr []float32) {
	job := matJob{n: cols, rows: nTok, actBytes: actBytes, x: x, act: act, xr: xr, quantize: quantize, toFloat: toFloat}
	if m.threads == 1 || nTok < 2*prepChunk {
		job.compute(0, nTok)
		return
	}
	job.chunk = prepChunk
	m.run(job)
}

// prepChunk is the number of tokens a goroutine prepares at a time.
const prepChunk = 4

// run computes job's rows in chunks on the calling goroutine and as many
// workers as there are chunks left for. m.mu must be held.
func (m *MatMul) run(job matJob) {
	m.job = job
	m.next.Store(0)
	helpers := min(m.threads-1, (job.rows+job.chunk-1)/job.chunk-1)
	m.done.Add(helpers)
	for i := 0; i < helpers; i++ {
		m.wake <- struct{}{}
	}
	m.runChunks()
	m.done.Wait()
	m.job = matJob{} // drop references to the caller's slices
}

// Parallel calls task(i) once for every i in [0, n), spread over the
// MatMul's goroutines (the caller's included), and returns when all have
// returned: for work beside the matmuls, such as attention heads. Tasks
// are taken one at a time in order, so uneven tasks balance. task must not
// call m's methods (m is busy until Parallel returns). Parallel does not
// allocate, but a func literal that captures variables may be allocated
// where it is made: make it once (a State field) to keep a loop
// allocation-free.
func (m *MatMul) Parallel(n int, task func(i int)) {
	if n <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.start()
	m.run(matJob{rows: n, chunk: 1, task: task})
}

// grow returns s with room for n elements: s itself if it has the
// capacity, else a new slice.
func grow[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n)
	}
	return s[:cap(s)]
}

// Check reports whether MatMat(t, w, rows, cols, x, nTok, out) has valid
// arguments: a supported weight type, cols a multiple of the weight and
// activation block sizes, w at least rows*RowSize(t, cols) bytes,
// len(x) == nTok*cols and len(out) == nTok*rows.
func Check(t Type, w []byte, rows, cols int, x []float32, nTok int, out []float32) error {
	tr, ok := t.Traits()
	if !ok || tr.VecDot == nil {
		return fmt.Errorf("quant: matmul: %v is not a supported weight type", t)
	}
	if rows < 0 || nTok < 0 {
		return fmt.Errorf("quant: matmul %v: negative shape: %d rows, %d tokens", t, rows, nTok)
	}
	rowBytes, err := RowSize(t, cols)
	if err != nil {
		return fmt.Errorf("quant: matmul: %w", err)
	}
	if _, err := RowSize(tr.VecDotType, cols); err != nil {
		return fmt.Errorf("quant: matmul: %w", err)
	}
	if len(w) < rows*rowBytes {
		return fmt.Errorf("quant: matmul %v [%d x %d]: weights have %d bytes, want %d", t, rows, cols, len(w), rows*rowBytes)
	}
	if len(x) != nTok*cols {
		return fmt.Errorf("quant: matmul %v [%d x %d]: %d activations, want %d tokens x %d", t, rows, cols, len(x), nTok, cols)
	}
	if len(out) != nTok*rows {
		return fmt.Errorf("quant: matmul %v [%d x %d]: output has %d values, want %d tokens x %d", t, rows, cols, len(out), nTok, rows)
	}
	return nil
}
