package runtimehost

import (
	"sync/atomic"
	"unsafe"

	"github.com/limnx/limnx/kernel/arch"
)

const maxThreads = 256

type threadState uint32

const (
	tsFree      threadState = iota
	tsRunnable              // on the run queue
	tsRunning               // on a CPU
	tsFutex                 // futex wait on futexAddr
	tsSleep                 // nanosleep until deadline
	tsEpoll                 // epoll_pwait on epfd
	tsIdle                  // a CPU's idle thread, not running
	tsConsole               // read(0) waiting for console input
	tsPipeRead              // read on an empty pipe
	tsPipeWrite             // write to a full pipe
)

// xsaveAreaSize bounds the XSAVE area (x87, SSE, AVX and AVX-512 fit).
const xsaveAreaSize = 4096

// Thread is a kernel thread: one of the Go runtime's Ms, or a CPU's idle
// thread. All fields are protected by hostLock.
type Thread struct {
	frame    Frame
	fsBase   uint64
	tid      int32
	state    threadState
	cpu      int32
	deadline int64  // monotonic ns at which a timed wait ends; 0 = none
	ticks    int32  // timer ticks used of the current slice
	affinity uint64 // CPUs the thread may run on (bit per CPU); 0 = any

	futexAddr uintptr
	epfd      int32
	epMax     int32
	epEvents  uintptr
	rdBuf     uintptr // read(0) destination while tsConsole
	rdLen     uintptr
	pipe      int32 // pipe index while tsPipeRead/tsPipeWrite

	sigmask  uint64
	pending  uint64    // signals sent (tgkill) and not yet delivered
	altstack [3]uint64 // stack_t: ss_sp, ss_flags, ss_size

	xsave    uintptr // 64-byte aligned into xsaveBuf
	fpuSaved bool    // xsave holds the thread's live vector state (saved at an interrupt)
	xsaveBuf [xsaveAreaSize + 64]byte
}

var (
	threads  [maxThreads]Thread
	hostLock uint32

	runq         [maxThreads]int32 // ring of runnable thread indices
	runqHead     uint32
	runqTail     uint32
	nextTid      int32  = 1
	xsaveSize    uint32 // bytes XSAVE writes with the enabled features
	timedWaits   int    // threads with a deadline
	nextDeadline int64  // earliest deadline of a timed wait, if timedWaits > 0 (atomic)

	// timedWaitsFast mirrors timedWaits for hostFastPath (atomic).
	timedWaitsFast int64
)

func lockHost() {
	for !atomic.CompareAndSwapUint32(&hostLock, 0, 1) {
		arch.Pause()
	}
}

func unlockHost() { atomic.StoreUint32(&hostLock, 0) }

// initThread prepares slot i for a new thread.
func initThread(i int32) *Thread {
	t := &threads[i]
	t.frame = Frame{}
	t.fsBase, t.deadline, t.futexAddr, t.sigmask, t.affinity, t.pending = 0, 0, 0, 0, 0, 0
	t.altstack = [3]uint64{0, 2, 0} // SS_DISABLE
	t.tid = nextTid
	nextTid++
	t.xsave = (uintptr(unsafe.Pointer(&t.xsaveBuf[0])) + 63) &^ 63
	t.fpuSaved = false
	initXsave(t)
	return t
}

// initXsave gives t the initial vector state: everything in its init
// configuration, with MXCSR's exceptions masked.
func initXsave(t *Thread) {
	a := (*[xsaveAreaSize]byte)(unsafe.Add(unsafe.Pointer(&t.xsaveBuf[0]), t.xsave-uintptr(unsafe.Pointer(&t.xsaveBuf[0]))))
	clear(a[:])
	a[24], a[25] = 0x80, 0x1f // MXCSR = 0x1f80
}

// xsaveArea returns t's XSAVE area as bytes.
func xsaveArea(t *Thread) *[xsaveAreaSize]byte {
	return (*[xsaveAreaSize]byte)(unsafe.Add(unsafe.Pointer(&t.xsaveBuf[0]), t.xsave-uintptr(unsafe.Pointer(&t.xsaveBuf[0]))))
}

// index returns t's slot in threads.
func (t *Thread) index() int32 {
	return int32((uintptr(unsafe.Pointer(t)) - uintptr(unsafe.Pointer(&threads[0]))) / unsafe.Sizeof(threads[0]))
}

// allocThread returns a free thread slot (idle slots excluded), or -1.
func allocThread() int32 {
	for i := int32(0); i < maxThreads-maxCPUs; i++ {
		if threads[i].state == tsFree {
			return i
		}
	}
	return -1
}

// idleSlot is the thread index of CPU cpu's idle thread.
func idleSlot(cpu int) int32 { return int32(maxThreads - maxCPUs + cpu) }

// enqueue makes thread i runnable.
func enqueue(i int32) {
	threads[i].state = tsRunnable
	runq[runqTail%maxThreads] = i
	atomic.StoreUint32(&runqTail, runqTail+1)
}

// runsOn reports whether thread i may run on CPU c.
func runsOn(i int32, c *CPU) bool {
	a := threads[i].affinity
	return a == 0 || a&(1<<uint(c.id)) != 0
}

// dequeue removes and returns the first runnable thread allowed on c, or -1.
func dequeue(c *CPU) int32 {
	for k := runqHead; k != runqTail; k++ {
		i := runq[k%maxThreads]
		if !runsOn(i, c) {
			continue
		}
		for j := k; j != runqHead; j-- { // close the gap, keeping FIFO order
			runq[j%maxThreads] = runq[(j-1)%maxThreads]
		}
		atomic.StoreUint32(&runqHead, runqHead+1)
		return i
	}
	return -1
}

// hasRunnable reports whether a queued thread may run on c.
func hasRunnable(c *CPU) bool {
	for k := runqHead; k != runqTail; k++ {
		if runsOn(runq[k%maxThreads], c) {
			return true
		}
	}
	return false
}

// wake ends thread i's wait with result r (its syscall's return value).
func wake(i int32, r int64) {
	t := &threads[i]
	if t.deadline != 0 {
		t.deadline = 0
		timedWaits--
		atomic.StoreInt64(&timedWaitsFast, int64(timedWaits))
	}
	t.frame.SetRet(uint64(r))
	enqueue(i)
	kick(curCPU(), i)
}

// park blocks t in state s until woken, or until deadline (monotonic ns,
// 0 for none).
func park(t *Thread, s threadState, deadline int64) {
	t.state = s
	t.deadline = deadline
	if deadline != 0 {
		if timedWaits == 0 || deadline < nextDeadline {
			atomic.StoreInt64(&nextDeadline, deadline)
		}
		timedWaits++
		atomic.StoreInt64(&timedWaitsFast, int64(timedWaits))
	}
}

// wakeExpired ends every timed wait whose deadline has passed.
func wakeExpired(now int64) {
	if timedWaits == 0 || now < nextDeadline {
		return
	}
	next := int64(1<<63 - 1)
	for i := int32(0); i < maxThreads; i++ {
		t := &threads[i]
		if t.deadline == 0 {
			continue
		}
		if t.deadline > now {
			next = min(next, t.deadline)
			continue
		}
		switch t.state {
		case tsFutex:
			wake(i, -ETIMEDOUT)
		case tsSleep, tsEpoll:
			wake(i, 0)
		}
	}
	atomic.StoreInt64(&nextDeadline, next)
}

// schedule picks what CPU c runs next: the current thread if it is still
// running, else the first runnable thread, else c's idle thread.
func schedule(c *CPU) {
	if threads[c.cur].state == tsRunning {
		return
	}
	next := dequeue(c)
	if next < 0 {
		next = c.idle
	}
	switchTo(c, next)
}

// switchTo makes thread i the one c resumes.
func switchTo(c *CPU, i int32) {
	if c.cur != c.idle && c.cur != i {
		c.lastBusy = nanotime()
	}
	t := &threads[i]
	t.state = tsRunning
	t.cpu = int32(c.id)
	c.cur = i
	c.frame = uintptr(unsafe.Pointer(&t.frame))
	c.xsave = t.xsave
	c.threadFS = uintptr(t.fsBase)
}

// CurrentCPU returns the number of the CPU running the caller; the answer
// may be stale as soon as it is returned.
func CurrentCPU() int { return arch.CPU() }

// ThreadInfo describes one kernel thread for display.
type ThreadInfo struct {
	TID      int
	State    string
	CPU      int    // last CPU it ran on
	Affinity uint64 // 0 = any CPU
}

var stateNames = [...]string{
	tsFree: "free", tsRunnable: "runnable", tsRunning: "running", tsFutex: "futex",
	tsSleep: "sleep", tsEpoll: "epoll", tsIdle: "idle", tsConsole: "console-read",
	tsPipeRead: "pipe-read", tsPipeWrite: "pipe-write",
}

// ReadThreads returns the live threads (idle threads excluded); a racy
// snapshot, for display.
func ReadThreads() []ThreadInfo {
	var out []ThreadInfo
	for i := 0; i < maxThreads-maxCPUs; i++ {
		t := &threads[i]
		s := t.state
		if s == tsFree {
			continue
		}
		name := "?"
		if int(s) < len(stateNames) {
			name = stateNames[s]
		}
		out = append(out, ThreadInfo{TID: int(t.tid), State: name, CPU: int(t.cpu), Affinity: t.affinity})
	}
	return out
}
