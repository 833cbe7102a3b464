package runtimehost

// Pipes: a fixed pool of 4 KiB ring buffers (the host cannot allocate).
// A read on an empty pipe, or a write to a full one, parks the thread
// unless the fd is non-blocking; every change rechecks parked threads and
// epoll waiters. Protected by hostLock.

type pipeBuf struct {
	buf        [4096]byte
	head, tail uint32
	readers    int32 // open read ends
	writers    int32 // open write ends
	rfd, wfd   int32
}

func (p *pipeBuf) len() uint32 { return p.tail - p.head }

var pipes [16]pipeBuf

const (
	_O_CLOEXEC = 0x80000
	EPIPE      = 32
)

func sysPipe2(t *Thread, f *Frame) int64 {
	flags := f.Arg(1)
	if flags&^(_O_NONBLOCK|_O_CLOEXEC) != 0 {
		return -EINVAL
	}
	out := userPtr[[2]int32](f.Arg(0))
	if out == nil {
		return -EFAULT
	}
	pi := int32(-1)
	for i := range pipes {
		if pipes[i].readers == 0 && pipes[i].writers == 0 {
			pi = int32(i)
			break
		}
	}
	if pi < 0 {
		return -EMFILE
	}
	rfd := allocFD()
	if rfd < 0 {
		return rfd
	}
	nb := flags&_O_NONBLOCK != 0
	files[rfd] = file{kind: fkPipeR, pipe: pi, nonblock: nb}
	wfd := allocFD()
	if wfd < 0 {
		files[rfd] = file{}
		return wfd
	}
	files[wfd] = file{kind: fkPipeW, pipe: pi, nonblock: nb}
	pipes[pi] = pipeBuf{readers: 1, writers: 1, rfd: int32(rfd), wfd: int32(wfd)}
	out[0], out[1] = int32(rfd), int32(wfd)
	return 0
}

// pipeCopyOut moves up to len(b) buffered bytes of p into b.
func pipeCopyOut(p *pipeBuf, b []byte) int {
	n := 0
	for n < len(b) && p.head != p.tail {
		b[n] = p.buf[p.head%uint32(len(p.buf))]
		p.head++
		n++
	}
	return n
}

// pipeCopyIn moves as much of b as fits into p.
func pipeCopyIn(p *pipeBuf, b []byte) int {
	n := 0
	for n < len(b) && p.len() < uint32(len(p.buf)) {
		p.buf[p.tail%uint32(len(p.buf))] = b[n]
		p.tail++
		n++
	}
	return n
}

func pipeRead(t *Thread, f *Frame, fl *file, b []byte) int64 {
	p := &pipes[fl.pipe]
	if len(b) == 0 {
		return 0
	}
	if p.len() > 0 {
		n := pipeCopyOut(p, b)
		pipeChanged(fl.pipe)
		return int64(n)
	}
	if p.writers == 0 {
		return 0
	}
	if fl.nonblock {
		return -EAGAIN
	}
	t.rdBuf, t.rdLen, t.pipe = uintptr(f.Arg(1)), uintptr(len(b)), fl.pipe
	park(t, tsPipeRead, 0)
	return 0
}

func pipeWrite(t *Thread, f *Frame, fl *file, b []byte) int64 {
	p := &pipes[fl.pipe]
	if p.readers == 0 {
		return -EPIPE
	}
	if n := pipeCopyIn(p, b); n > 0 || len(b) == 0 {
		pipeChanged(fl.pipe)
		return int64(n)
	}
	if fl.nonblock {
		return -EAGAIN
	}
	t.rdBuf, t.rdLen, t.pipe = uintptr(f.Arg(1)), uintptr(len(b)), fl.pipe
	park(t, tsPipeWrite, 0)
	return 0
}

func pipeClose(fl *file) {
	p := &pipes[fl.pipe]
	if fl.kind == fkPipeR {
		p.readers--
	} else {
		p.writers--
	}
	pipeChanged(fl.pipe)
}

// pipeChanged completes the reads and writes parked on pipe pi that can
// now proceed and tells epoll about both ends.
func pipeChanged(pi int32) {
	p := &pipes[pi]
	for i := int32(0); i < maxThreads; i++ {
		t := &threads[i]
		if (t.state != tsPipeRead && t.state != tsPipeWrite) || t.pipe != pi {
			continue
		}
		b, ok := userBytes(uint64(t.rdBuf), uint64(t.rdLen))
		switch {
		case !ok:
			wake(i, -EFAULT)
		case t.state == tsPipeRead && p.len() > 0:
			wake(i, int64(pipeCopyOut(p, b)))
		case t.state == tsPipeRead && p.writers == 0:
			wake(i, 0)
		case t.state == tsPipeWrite && p.readers == 0:
			wake(i, -EPIPE)
		case t.state == tsPipeWrite && p.len() < uint32(len(p.buf)):
			wake(i, int64(pipeCopyIn(p, b)))
		}
	}
	if p.readers > 0 {
		fileChanged(p.rfd)
	}
	if p.writers > 0 {
		fileChanged(p.wfd)
	}
	if p.readers == 0 && p.writers == 0 {
		pollWake()
	}
}
