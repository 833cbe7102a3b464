package quant

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// MatMul multiplies row-major quantized weight matrices by float32
// activations. The activations are quantized once per call to the weight
// type's VecDotType (Traits.QuantizeAct), then the weight rows are split
// into chunks that a persistent pool of worker goroutines (plus the
// calling goroutine) take in turn. Each chunk runs the table's kernels:
// for one token VecDotRows (or VecDot per row); for several tokens Gemm
// (float weights), else VecDotTile or VecDotTokens over tiles of tokens
// (or VecDot per row and token), so that each weight row is reused for
// many tokens while it is in cache. Installing faster kernels
// (UseFastKernels, SetVecDot) speeds MatMul up without changing it. This
// is where a forward pass spends its time.
//
// A decode step is hundreds of small matmuls, so the hand-off to the
// workers is made cheap: between calls a worker spins on the job counter
// for a while (spinWait) before it sleeps, and MatMatN runs several
// matrices that share their input (a layer's Q, K and V) as one call, with
// one activation quantization and one hand-off.
//
// After the first call with the largest shapes, calls do not allocate.
// A MatMul serializes its own calls (mu); use one per concurrent caller to
// run matmuls in parallel. The zero value is ready to use with
// runtime.NumCPU() threads; Close stops the workers (as does the garbage
// collector, some time after a MatMul that was not closed is dropped).
type MatMul struct {
	mu      sync.Mutex      // held for a whole call
	threads int             // goroutines working on a call, the caller included; immutable after start
	pool    *pool           // nil until the first call and after Close
	cleanup runtime.Cleanup // stops pool's workers if the MatMul is dropped without Close

	job, prep, tasks matJob // the calls in progress: products, their activations, Parallel's tasks

	act [maxProducts][]byte    // scratch: quantized activations per distinct VecDotType, grown as needed
	xr  [maxProducts][]float32 // scratch: activations rounded to F16/BF16 for Gemm, grown as needed
}

// maxProducts is the number of matrices one MatMatN call takes.
const maxProducts = 4

// Product is one matrix of a MatMatN call: the rows x cols matrix W stored
// row-major in type Type in W (W may be longer; the rest is ignored), and
// Out, which receives nTok*Rows products, out[tok*Rows + r] = row r ·
// token tok.
type Product struct {
	Type       Type
	W          []byte
	Rows, Cols int
	Out        []float32
}

// pool is the worker goroutines of one start of a MatMul and the call
// they work on. The caller writes job, then publishes it with a new word:
// a generation number, the chunk count and the next chunk to take, packed
// in one atomic value so that a worker claims a chunk (compare-and-swap
// of the next index) only while that generation is the current one. The
// caller waits until done counts every chunk; a worker that wakes late
// finds nothing to claim and is not waited for.
type pool struct {
	spin    bool          // spin between calls: there are no more goroutines than Ps
	job     *matJob       // the call in progress; read only after claiming one of its chunks
	word    atomic.Uint64 // generation<<wordGenShift | chunks<<wordCountShift | next chunk
	done    atomic.Int64  // chunks of the current generation computed
	closed  atomic.Bool
	workers []poolWorker
}

// The fields of pool.word. A call of more chunks than maxWordChunks runs
// as several generations of at most that many (matJob.base).
const (
	wordCountShift = 20
	wordGenShift   = 40
	maxWordChunks  = 1<<wordCountShift - 1
)

// poolWorker is a worker's sleep state: asleep is set while it blocks on
// wake, and whoever clears it (the worker itself or a publisher) decides
// who consumes the wake-up token.
type poolWorker struct {
	asleep atomic.Bool
	wake   chan struct{} // capacity 1
	_      [48]byte      // keep workers' flags on separate cache lines
}

// spinWait is how long an idle worker spins for the next call before it
// sleeps: longer than the work between two matmuls of a decode step
// (norms, RoPE, attention at short contexts), short enough that an idle
// MatMul stops burning its CPUs at once.
const spinWait = 200 * time.Microsecond

// matJob describes one call: products (rows of several matrices), or
// tasks (Parallel), or activations to quantize (prepare).
type matJob struct {
	nTok   int
	parts  [maxProducts]matPart
	nParts int
	chunks int         // chunk count over all parts
	base   int         // first chunk of the generation in progress (run)
	task   func(i int) // set by Parallel: chunk i is task i

	// prep jobs: chunk i quantizes tokens prepChunk*i.. (and, when
	// toFloat is set, rounds them back to float32 into xr).
	prep     bool
	n        int // values per token
	actBytes int
	x        []float32
	act      []byte
	quantize func(src []float32, dst []byte)
	toFloat  func(src []byte, dst []float32)
	xr       []float32
}

// matPart is one matrix of a products job.
type matPart struct {
	n        int // elements per row (cols)
	rows     int
	rowBytes int
	actBytes int // bytes of one token's quantized activations
	chunk    int // rows per chunk
	end      int // chunks of this part and the ones before it
	tokTile  int // tokens per VecDotTile/VecDotTokens call
	w        []byte
	act      []byte    // nTok rows of actBytes
	x        []float32 // for gemm: nTok rows of n float32 activations
	out      []float32
	dot      VecDotFunc
	dotRows  VecDotRowsFunc
	tokens   VecDotTokensFunc
	tile     VecDotTileFunc
	gemm     GemmFunc
}

// VecDotRowsFunc computes out[i] = VecDot(n, row i, act) for len(out)
// consecutive weight rows in w (each n elements), for kernels that share
// activation loads across rows. It is optional (Traits.VecDotRows).
type VecDotRowsFunc = func(n int, w []byte, act []byte, out []float32)

// tokTile is the number of tokens MatMat computes against each weight row
// while that row is hot in cache, when it calls VecDot per token.
const tokTile = 8

// tileActBytes bounds the activations of one tile of tokens given to
// VecDotTile/VecDotTokens: they stay in L2 while every row of a chunk runs
// over them.
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
	if m.pool != nil {
		return
	}
	if m.threads <= 0 {
		m.threads = runtime.NumCPU()
	}
	p := &pool{
		// Spinning only pays when every goroutine of a call has a P of
		// its own; with more, a spinner would take a P from a worker.
		spin:    m.threads <= runtime.GOMAXPROCS(0),
		workers: make([]poolWorker, m.threads-1),
	}
	for i := range p.workers {
		p.workers[i].wake = make(chan struct{}, 1)
		go p.work(&p.workers[i])
	}
	m.pool = p
	// A MatMul dropped without Close (a State a server forgot) must not
	// leave its workers behind: they hold only the pool, so the MatMul can
	// be collected, and then the pool is stopped.
	m.cleanup = runtime.AddCleanup(m, (*pool).stop, p)
}

// Close stops the worker goroutines. A later call starts them again.
func (m *MatMul) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p := m.pool; p != nil {
		m.cleanup.Stop()
		p.stop()
		m.pool = nil
	}
}

// stop makes the workers return.
func (p *pool) stop() {
	p.closed.Store(true)
	p.publish(0)
}

// work is a worker goroutine: it claims and runs chunks of every
// generation until the pool is closed.
func (p *pool) work(w *poolWorker) {
	var gen uint64
	for {
		gen = p.await(w, gen)
		if p.closed.Load() {
			return
		}
		p.runChunks(gen)
	}
}

// await returns the generation after seen, spinning for spinWait (when
// the pool spins) and then sleeping until a publisher wakes w.
func (p *pool) await(w *poolWorker, seen uint64) uint64 {
	if p.spin {
		var deadline time.Time
		for i := 0; ; i++ {
			if g := p.word.Load() >> wordGenShift; g != seen {
				return g
			}
			if i&255 == 255 {
				// Let other goroutines of this P run (another MatMul's
				// call, say): spinning must not starve them until the
				// scheduler preempts.
				runtime.Gosched()
				now := time.Now()
				if deadline.IsZero() {
					deadline = now.Add(spinWait)
				} else if now.After(deadline) {
					break
				}
			}
		}
	}
	w.asleep.Store(true)
	if g := p.word.Load() >> wordGenShift; g != seen {
		if w.asleep.CompareAndSwap(true, false) {
			return g
		}
		// A publisher cleared asleep first and sends a token: take it so
		// that the next sleep does not return at once.
	}
	<-w.wake
	return p.word.Load() >> wordGenShift
}

// publish starts a generation of chunks chunks (the caller has written
// job), waking the workers that sleep.
func (p *pool) publish(chunks int) uint64 {
	p.done.Store(0)
	gen := (p.word.Load()>>wordGenShift + 1) & (1<<(64-wordGenShift) - 1)
	p.word.Store(gen<<wordGenShift | uint64(chunks)<<wordCountShift)
	for i := range p.workers {
		if w := &p.workers[i]; w.asleep.CompareAndSwap(true, false) {
			w.wake <- struct{}{}
		}
	}
	return gen
}

// claim takes the next chunk of generation gen, or reports that there is
// none (all taken, or gen is over).
func (p *pool) claim(gen uint64) (int, bool) {
	for {
		w := p.word.Load()
		next, count := w&maxWordChunks, w>>wordCountShift&maxWordChunks
		if w>>wordGenShift != gen || next >= count {
			return 0, false
		}
		if p.word.CompareAndSwap(w, w+1) {
			return int(next), true
		}
	}
}

// runChunks computes chunks of generation gen until none is left. Having
// claimed a chunk, the job is gen's: the caller does not move on before
// that chunk is done.
func (p *pool) runChunks(gen uint64) {
	for {
		i, ok := p.claim(gen)
		if !ok {
			return
		}
		p.job.compute(p.job.base + i)
		p.done.Add(1)
	}
}

// run computes job's chunks on the calling goroutine and the workers, and
// returns when all are done. m.mu must be held.
func (m *MatMul) run(job *matJob) {
	p := m.pool
	if len(p.workers) == 0 || job.chunks == 1 {
		for i := range job.chunks {
			job.compute(i)
		}
		return
	}
	p.job = job
	for job.base = 0; job.base < job.chunks; job.base += maxWordChunks {
		n := min(maxWordChunks, job.chunks-job.base)
		gen := p.publish(n)
		p.runChunks(gen)
		for i := 0; p.done.Load() != int64(n); i++ {
			if i&63 == 63 {
				runtime.Gosched() // a worker may be waiting for this P
			}
		}
	}
	p.job = nil
}

// compute runs chunk i of the job.
func (j *matJob) compute(i int) {
	switch {
	case j.prep:
		for t := i * prepChunk; t < min(j.nTok, (i+1)*prepChunk); t++ {
			a := j.act[t*j.actBytes : (t+1)*j.actBytes]
			j.quantize(j.x[t*j.n:(t+1)*j.n], a)
			if j.toFloat != nil {
				j.toFloat(a, j.xr[t*j.n:(t+1)*j.n])
			}
		}
	case j.task != nil:
		j.task(i)
	default:
		k := 0
		for i >= j.parts[k].end {
			k++
		}
		pt := &j.parts[k]
		first := 0
		if k > 0 {
			first = j.parts[k-1].end
		}
		r0 := (i - first) * pt.chunk
		pt.compute(j.nTok, r0, min(r0+pt.chunk, pt.rows))
	}
}

// compute fills the outputs of rows r0..r1-1 for every token.
func (j *matPart) compute(nTok, r0, r1 int) {
	switch {
	case nTok == 1 && j.dotRows != nil:
		j.dotRows(j.n, j.w[r0*j.rowBytes:r1*j.rowBytes], j.act[:j.actBytes], j.out[r0:r1])
	case j.gemm != nil:
		// out[r0:] holds (nTok-1)*rows + (r1-r0) values, as gemm needs.
		if err := j.gemm(j.n, j.w[r0*j.rowBytes:r1*j.rowBytes], r1-r0, j.x, nTok, j.out[r0:], j.rows); err != nil {
			panic("quant: matmul: Gemm failed on checked shapes: " + err.Error())
		}
	case j.tile != nil:
		// For each tile of tokens (in L2), the chunk's rows against all of
		// them; the kernel tiles rows x tokens in registers.
		for t0 := 0; t0 < nTok; t0 += j.tokTile {
			nt := min(j.tokTile, nTok-t0)
			act := j.act[t0*j.actBytes : (t0+nt)*j.actBytes]
			j.tile(j.n, j.w[r0*j.rowBytes:r1*j.rowBytes], j.rowBytes, r1-r0, act, j.actBytes, nt, j.out[t0*j.rows+r0:], j.rows)
		}
	case j.tokens != nil:
		// For each tile of tokens (in L2), each row (in L1) against all
		// of them.
		for t0 := 0; t0 < nTok; t0 += j.tokTile {
			nt := min(j.tokTile, nTok-t0)
			act := j.act[t0*j.actBytes : (t0+nt)*j.actBytes]
			for r := r0; r < r1; r++ {
				j.tokens(j.n, j.w[r*j.rowBytes:(r+1)*j.rowBytes], act, j.actBytes, nt, j.out[t0*j.rows+r:], j.rows)
			}
		}
	default:
		for t0 := 0; t0 < nTok; t0 += tokTile {
			t1 := min(t0+tokTile, nTok)
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
	m.MatMatN(x, 1, Product{Type: t, W: w, Rows: rows, Cols: cols, Out: out})
}

// MatMat computes nTok matrix-vector products at once: x holds nTok
// tokens of cols values (token-major), and out[tok*rows + r] = dot(row r
// of W, token tok). Each weight row is used for a tile of tokens while
// it is in cache. Shapes are as for MatVec, with len(x) = nTok*cols and
// len(out) = nTok*rows.
func (m *MatMul) MatMat(t Type, w []byte, rows, cols int, x []float32, nTok int, out []float32) {
	m.MatMatN(x, nTok, Product{Type: t, W: w, Rows: rows, Cols: cols, Out: out})
}

// MatMatN computes the products of up to maxProducts (4) matrices with
// the same nTok tokens x, as MatMat does for each, in one call: x is
// quantized once per distinct VecDotType and the rows of all the
// matrices are spread over the goroutines together, so a layer's Q, K and
// V projections (or gate and up) cost one hand-off. Every product must
// have Cols = len(x)/nTok; shapes are checked as for MatMat.
func (m *MatMul) MatMatN(x []float32, nTok int, ps ...Product) {
	if len(ps) == 0 || len(ps) > maxProducts {
		panic(fmt.Sprintf("quant: MatMatN: %d products, want 1 to %d", len(ps), maxProducts))
	}
	for i := range ps {
		p := &ps[i]
		if err := Check(p.Type, p.W, p.Rows, p.Cols, x, nTok, p.Out); err != nil {
			panic(err.Error())
		}
	}
	if nTok == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.start()
	job := &m.job
	*job = matJob{nTok: nTok}
	var prepared [maxProducts]Type // VecDotType of m.act[i] / m.xr[i] in this call
	nPrep := 0
	for i := range ps {
		p := &ps[i]
		if p.Rows == 0 {
			continue
		}
		tr := &traits[p.Type]
		cols := p.Cols
		actBytes, _ := RowSize(tr.VecDotType, cols)
		pt := &job.parts[job.nParts]
		job.nParts++
		*pt = matPart{
			n: cols, rows: p.Rows, rowBytes: cols / tr.BlockSize * tr.TypeSize, actBytes: actBytes,
			w: p.W, out: p.Out, dot: tr.VecDot, dotRows: tr.VecDotRows, tokens: tr.VecDotTokens, tile: tr.VecDotTile,
		}
		// Activations in the product's VecDotType: quantized by an earlier
		// product of this call, or now into the next scratch buffer.
		k := 0
		for k < nPrep && prepared[k] != tr.VecDotType {
			k++
		}
		useGemm := tr.Gemm != nil && nTok > 1
		if k == nPrep {
			prepared[k] = tr.VecDotType
			nPrep++
			m.act[k] = grow(m.act[k], nTok*actBytes)
			quantizeAct := traits[tr.VecDotType].QuantizeAct
			if useGemm && tr.VecDotType != F32 {
				// Gemm takes float32 activations: those of an F16 or BF16
				// matmul are rounded to that type first, as ggml does, so
				// the products are the ones VecDot computes.
				m.xr[k] = grow(m.xr[k], nTok*cols)
				m.prepare(quantizeAct, traits[tr.VecDotType].ToFloat, x, cols, nTok, m.act[k][:nTok*actBytes], actBytes, m.xr[k][:nTok*cols])
			} else if !useGemm {
				m.prepare(quantizeAct, nil, x, cols, nTok, m.act[k][:nTok*actBytes], actBytes, nil)
			}
		}
		if useGemm {
			pt.gemm, pt.x = tr.Gemm, x
			if tr.VecDotType != F32 {
				pt.x = m.xr[k][:nTok*cols]
			}
		} else {
			pt.act = m.act[k][:nTok*actBytes]
			if pt.tokTile = max(4, tileActBytes/max(1, actBytes)&^3); pt.tokTile > nTok {
				pt.tokTile = nTok
			}
		}
		// Chunks: about 4 per thread for balance, at least 4 rows each, an
		// even number (Gemm computes rows in pairs).
		pt.chunk = max(4, ((p.Rows+4*m.threads-1)/(4*m.threads)+1)&^1)
		job.chunks += (p.Rows + pt.chunk - 1) / pt.chunk
		pt.end = job.chunks
	}
	if job.chunks > 0 {
		m.run(job)
	}
	*job = matJob{} // drop references to the caller's slices
}

// prepare quantizes nTok tokens of cols activations from x into act
// (actBytes per token) and, when toFloat is not nil, rounds them back into
// xr: on the calling goroutine for few tokens, else spread over the
// workers like matmul rows, so that prompt processing does not wait on a
// serial pass over the activations. m.mu must be held.
func (m *MatMul) prepare(quantize func([]float32, []byte), toFloat func([]byte, []float32), x []float32, cols, nTok int, act []byte, actBytes int, xr []float32) {
	job := &m.prep
	*job = matJob{prep: true, nTok: nTok, n: cols, actBytes: actBytes, x: x, act: act, xr: xr, quantize: quantize, toFloat: toFloat}
	job.chunks = (nTok + prepChunk - 1) / prepChunk
	if m.threads == 1 || nTok < 2*prepChunk {
		for i := range job.chunks {
			job.compute(i)
		}
	} else {
		m.run(job)
	}
	*job = matJob{}
}

// prepChunk is the number of tokens a goroutine prepares at a time.
const prepChunk = 4

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
	m.tasks = matJob{chunks: n, task: task}
	m.run(&m.tasks)
	m.tasks = matJob{}
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
