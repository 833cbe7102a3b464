package ktest

import (
	"bytes"
	cryptorand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/cpu"

	"github.com/limnx/limnx/kernel/arch/amd64"
	"github.com/limnx/limnx/kernel/runtimehost"
)

func cpuid7() (eax, ebx, ecx, edx uint32) { return amd64.Cpuid(7, 0) }

// hasAVX2CPU reports whether CPUID offers AVX2, whatever the OS enabled.
func hasAVX2CPU() bool {
	_, ebx, _, _ := cpuid7()
	return ebx&(1<<5) != 0
}

// Kernel is the kernel self-test suite.
var Kernel = []Test{
	{"numcpu", testNumCPU},
	{"language", testLanguage},
	{"goroutines", testGoroutines},
	{"gc", testGC},
	{"timers", testTimers},
	{"allcpus", testAllCPUs},
	{"preempt", testPreempt},
	{"vectorstate", testVectorState},
	{"clock", testClock},
	{"syscall", measureSyscall},
	{"futexpingpong", measurePingPong},
	{"pagefault", testPageFault},
	{"random", testRandom},
	{"badpointers", testBadPointers},
	{"pipe", testPipe},
}

func testNumCPU(t *T) {
	s := runtimehost.ReadStats()
	if runtime.NumCPU() != s.CPUs {
		t.Errorf("runtime.NumCPU() = %d, host has %d CPUs online", runtime.NumCPU(), s.CPUs)
	}
	if runtime.GOMAXPROCS(0) != s.CPUs {
		t.Errorf("GOMAXPROCS = %d, want %d", runtime.GOMAXPROCS(0), s.CPUs)
	}
	t.Logf("%d CPUs", s.CPUs)
}

type shape interface{ area() float64 }
type rect struct{ w, h float64 }
type circle struct{ r float64 }

func (r rect) area() float64   { return r.w * r.h }
func (c circle) area() float64 { return 3 * c.r * c.r }

func testLanguage(t *T) {
	m := map[string]int{}
	for i := 0; i < 10000; i++ {
		m[fmt.Sprint(i%1000)] += i
	}
	if len(m) != 1000 || m["7"] != 7*10+1000*45 {
		t.Errorf("map: len %d, m[7] = %d", len(m), m["7"])
	}
	shapes := []shape{rect{2, 3}, circle{1}}
	var sum float64
	for _, s := range shapes {
		switch v := s.(type) {
		case rect:
			sum += v.area()
		case circle:
			sum += v.area()
		}
	}
	if sum != 9 {
		t.Errorf("interfaces: sum %v, want 9", sum)
	}
	got := func() (r string) {
		defer func() {
			if e := recover(); e != nil {
				r = fmt.Sprint("recovered: ", e)
			}
		}()
		var order []string
		defer func() { order = append(order, "deferred") }()
		panic("boom")
	}()
	if got != "recovered: boom" {
		t.Errorf("defer/recover: got %q", got)
	}
	func() {
		defer func() {
			r := recover()
			if err, ok := r.(runtime.Error); !ok || !strings.Contains(err.Error(), "index out of range") {
				t.Errorf("bounds check: recovered %v", r)
			}
		}()
		s := []int{1, 2, 3}
		i := len(s) + len(m)
		_ = s[i]
	}()
	words := strings.Fields("the quick brown fox jumps over the lazy dog")
	sort.Strings(words)
	if strings.Join(words, " ") != "brown dog fox jumps lazy over quick the the" {
		t.Errorf("sort: %v", words)
	}
	if !errors.Is(fmt.Errorf("wrap: %w", errSentinel), errSentinel) {
		t.Errorf("errors.Is through %%w failed")
	}
}

var errSentinel = errors.New("sentinel")

func testGoroutines(t *T) {
	const n = 100_000
	ch := make(chan int, 1024)
	var wg sync.WaitGroup
	go func() {
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				ch <- i
			}(i)
		}
		wg.Wait()
		close(ch)
	}()
	sum, count := 0, 0
	for v := range ch {
		sum += v
		count++
	}
	if count != n || sum != n*(n-1)/2 {
		t.Errorf("received %d values summing to %d, want %d and %d", count, sum, n, n*(n-1)/2)
	}
}

func testGC(t *T) {
	const (
		total = 1 << 30
		chunk = 256 << 10
		live  = 64 // chunks kept alive: 16 MiB
	)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ring := make([][]byte, live)
	var maxHeap uint64
	for i := 0; i < total/chunk; i++ {
		b := make([]byte, chunk)
		b[0], b[len(b)-1] = byte(i), byte(i>>8)
		ring[i%live] = b
		if i%512 == 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > maxHeap {
				maxHeap = ms.HeapAlloc
			}
		}
	}
	for i, b := range ring {
		j := total/chunk - live + i
		idx := j % live
		if ring[idx][0] != byte(j) {
			t.Errorf("chunk %d corrupted", j)
			break
		}
		_ = b
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.NumGC == before.NumGC {
		t.Errorf("no garbage collection ran")
	}
	if maxHeap > 256<<20 {
		t.Errorf("heap grew to %d MiB with a 16 MiB live set", maxHeap>>20)
	}
	t.Logf("1 GiB allocated, %d GCs, peak heap %d MiB", after.NumGC-before.NumGC, maxHeap>>20)
}

// testTimers checks that timers never fire early and fire in deadline
// order: one goroutine waits on all of them at once and notes when each
// becomes ready. Two timers may come out swapped only if both were due
// when the first was seen (select picks among ready cases at random).
func testTimers(t *T) {
	const n = 20
	deadline := func(i int) time.Duration { return time.Duration(i+1) * 3 * time.Millisecond }
	cases := make([]reflect.SelectCase, n)
	start := time.Now()
	for i := n - 1; i >= 0; i-- { // created out of order on purpose
		tm := time.NewTimer(deadline(i))
		cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(tm.C)}
	}
	var maxLate time.Duration
	swapped := 0
	for k := 0; k < n; k++ {
		i, _, _ := reflect.Select(cases)
		seen := time.Since(start)
		cases[i].Chan = reflect.Value{} // a zero Chan is never ready
		if late := seen - deadline(i); late < 0 {
			t.Errorf("timer due at %v seen at %v: early", deadline(i), seen)
		} else {
			maxLate = max(maxLate, late)
		}
		for j := 0; j < i; j++ { // earlier timers not yet seen must be due now
			if cases[j].Chan.IsValid() {
				if deadline(j) > seen {
					t.Errorf("timer due at %v seen at %v, before the one due at %v", deadline(i), seen, deadline(j))
				}
				swapped++
				break
			}
		}
	}
	s0 := time.Now()
	time.Sleep(5 * time.Millisecond)
	if el := time.Since(s0); el < 5*time.Millisecond {
		t.Errorf("time.Sleep(5ms) returned after %v", el)
	}
	t.Logf("%d timers, none early, %d seen together with an earlier one; worst lateness %v", n, swapped, maxLate.Round(time.Microsecond))
}

func testAllCPUs(t *T) {
	n := runtime.NumCPU()
	type span struct{ first, last atomic.Int64 }
	spans := make([]span, 64)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < 300*time.Millisecond {
				c := runtimehost.CurrentCPU()
				now := int64(time.Since(start))
				spans[c%64].first.CompareAndSwap(0, now)
				spans[c%64].last.Store(now)
			}
		}()
	}
	wg.Wait()
	var maxFirst, minLast int64 = 0, 1 << 62
	for c := 0; c < n; c++ {
		f, l := spans[c].first.Load(), spans[c].last.Load()
		if l == 0 {
			t.Errorf("no spinner ran on CPU %d", c)
			continue
		}
		maxFirst, minLast = max(maxFirst, f), min(minLast, l)
	}
	if maxFirst >= minLast {
		t.Errorf("spinners never ran on all %d CPUs at once", n)
	}
	t.Logf("%d CPUs busy together for %v", n, time.Duration(minLast-maxFirst).Round(time.Millisecond))
}

func testPageFault(t *T) {
	var p *[1 << 20]byte
	func() {
		defer func() {
			r := recover()
			if err, ok := r.(runtime.Error); !ok || !strings.Contains(err.Error(), "nil pointer") {
				t.Errorf("nil dereference: recovered %v", r)
			}
		}()
		p[100] = 1
	}()
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	func() {
		defer func() {
			r := recover()
			if _, ok := r.(runtime.Error); !ok {
				t.Errorf("fault on an unmapped kernel address: recovered %v", r)
			}
		}()
		q := (*int)(unmappedAddr())
		*q = 1
	}()
	func() {
		defer func() {
			if _, ok := recover().(runtime.Error); !ok {
				t.Errorf("read of a low (formerly identity-mapped) address did not fault")
			}
		}()
		a := uintptr(0x200000)
		q := (*int)(*(*unsafe.Pointer)(unsafe.Pointer(&a)))
		_ = *q
	}()
}

// testPreempt runs a loop with no function calls (so no cooperative
// preemption point) on the only P; the test goroutine gets the CPU back
// only if the runtime preempts the loop asynchronously (SIGURG).
func testPreempt(t *T) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	s0 := runtimehost.ReadStats()
	var stop, started atomic.Bool
	var spins atomic.Int64
	done := make(chan struct{})
	go func() {
		started.Store(true)
		n := int64(0)
		for !stop.Load() {
			n++
		}
		spins.Store(n)
		close(done)
	}()
	for !started.Load() {
		runtime.Gosched() // hand the only P to the spinner
	}
	time.Sleep(20 * time.Millisecond) // needs the P back from the spinner
	stop.Store(true)
	<-done
	s1 := runtimehost.ReadStats()
	if s1.Signals == s0.Signals {
		t.Errorf("no signal was delivered while the loop ran")
	}
	t.Logf("tight loop preempted (%d signals delivered, %d iterations)", s1.Signals-s0.Signals, spins.Load())
}

// testRandom reads crypto/rand (getrandom, served by kernel/csprng) and
// checks the bytes look random: distinct reads, every byte value present,
// a bit balance near one half.
func testRandom(t *T) {
	a, b := make([]byte, 1<<16), make([]byte, 1<<16)
	if _, err := cryptorand.Read(a); err != nil {
		t.Fatalf("crypto/rand: %v", err)
	}
	cryptorand.Read(b)
	if bytes.Equal(a, b) {
		t.Errorf("two reads returned the same bytes")
	}
	var seen [256]bool
	ones := 0
	for _, v := range a {
		seen[v] = true
		ones += bits.OnesCount8(v)
	}
	for v, ok := range seen {
		if !ok {
			t.Errorf("byte %#x never appeared in 64 KiB", v)
			break
		}
	}
	if frac := float64(ones) / float64(8*len(a)); frac < 0.49 || frac > 0.51 {
		t.Errorf("%.4f of the bits are set", frac)
	}
}

// testVectorState checks that floating-point and SIMD state survives
// preemption and migration: many more goroutines than CPUs compute the same
// float sums (long enough to be interrupted many times) and must all match
// the result computed alone beforehand. It also checks that the runtime
// sees AVX2 when the CPU has it (XSAVE enabled with XCR0 covering AVX).
func testVectorState(t *T) {
	sum := func(seed float64) float64 {
		s := 0.0
		for i := 1; i <= 300_000; i++ {
			x := float64(i) + seed
			s += math.Sqrt(x) * math.Sin(x) / (1 + math.Abs(math.Cos(x)))
		}
		return s
	}
	n := 4 * runtime.NumCPU()
	want := make([]float64, n)
	for i := range want {
		want[i] = sum(float64(i))
	}
	got := make([]float64, n)
	var wg sync.WaitGroup
	s0 := runtimehost.ReadStats()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = sum(float64(i))
		}()
	}
	wg.Wait()
	s1 := runtimehost.ReadStats()
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("goroutine %d: %v, computed alone %v", i, got[i], want[i])
		}
	}
	if hasAVX2CPU() && !cpu.X86.HasAVX2 {
		t.Errorf("the CPU has AVX2 but the runtime cannot use it (OSXSAVE/XCR0)")
	}
	t.Logf("%d goroutines agree over %d traps; AVX2 usable: %v", n, s1.Traps-s0.Traps, cpu.X86.HasAVX2)
}

// testBadPointers passes addresses nothing maps, or that belong to no
// valid range, to system calls: each must fail with EFAULT, not crash the
// runtime host.
func testBadPointers(t *T) {
	bad := []uintptr{0x10, 0x200000, 0xffffe00000003000, 0x0000700000000000, 0xffffd00000000000}
	for _, p := range bad {
		if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 1, p, 0); e != syscall.EFAULT {
			t.Errorf("clock_gettime(1, %#x) = %v, want EFAULT", p, e)
		}
		if _, _, e := syscall.RawSyscall(syscall.SYS_WRITE, 1, p, 5); e != syscall.EFAULT {
			t.Errorf("write(1, %#x, 5) = %v, want EFAULT", p, e)
		}
		if _, _, e := syscall.RawSyscall6(syscall.SYS_FUTEX, p, futexWaitPrivate, 0, 0, 0, 0); e != syscall.EFAULT && e != syscall.EINVAL {
			t.Errorf("futex(%#x) = %v, want EFAULT", p, e)
		}
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_MUNMAP, 0x1000, 4096, 0); e != syscall.EINVAL {
		t.Errorf("munmap of a low address = %v, want EINVAL", e)
	}
	if _, _, e := syscall.RawSyscall(999, 0, 0, 0); e != syscall.ENOSYS {
		t.Errorf("unknown system call 999 = %v, want ENOSYS", e)
	}
}

// testPipe moves data through os.Pipe (pipe2, non-blocking fds in the
// netpoller with edge-triggered epoll) between goroutines, more than the
// pipe holds, and checks EOF after the writer closes.
func testPipe(t *T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatalf("os.Pipe: %v", err)
	}
	defer r.Close()
	msg := bytes.Repeat([]byte("limnx pipe "), 3000) // 33 KB: many times the buffer
	go func() {
		w.Write(msg)
		w.Close()
	}()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Errorf("ReadAll: %v", err)
	}
	if !bytes.Equal(got, msg) {
		t.Errorf("read %d bytes, want the %d written", len(got), len(msg))
	}
	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatalf("os.Pipe: %v", err)
	}
	r2.Close()
	if _, err := w2.Write([]byte("x")); err == nil {
		t.Errorf("write to a pipe without readers succeeded")
	}
	w2.Close()
}

// testClock checks the vDSO clock: time.Now reads the TSC without a
// system call, agrees with clock_gettime made as a system call, moves
// forward, and the wall clock came from the RTC (a plausible year).
func testClock(t *T) {
	const n = 20000
	s0 := runtimehost.ReadStats()
	start := time.Now()
	prev := start
	for i := 0; i < n; i++ {
		now := time.Now()
		if now.Before(prev) {
			t.Errorf("time.Now went backwards: %v after %v", now, prev)
			break
		}
		prev = now
	}
	el := time.Since(start)
	s1 := runtimehost.ReadStats()
	if calls := s1.Syscalls - s0.Syscalls; calls > n/10 {
		t.Errorf("%d time.Now calls made %d system calls: the vDSO is not in use", n, calls)
	}
	var ts syscall.Timespec
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 0, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		t.Fatalf("clock_gettime: %v", e)
	}
	if d := time.Since(time.Unix(ts.Sec, ts.Nsec)); d < 0 || d > 50*time.Millisecond {
		t.Errorf("vDSO and system-call realtime clocks differ by %v", d)
	}
	if y := time.Now().Year(); y < 2024 || y > 2100 {
		t.Errorf("wall clock says year %d", y)
	}
	t.Logf("time.Now %d ns (vDSO), %s UTC", el.Nanoseconds()/n, time.Now().UTC().Format(time.DateTime))
}

// unmappedAddr returns a kernel address no page table maps (PML4 slot 448).
func unmappedAddr() unsafe.Pointer {
	a := uintptr(0xffffe00000001000)
	return *(*unsafe.Pointer)(unsafe.Pointer(&a))
}

func measureSyscall(t *T) {
	const n = 20000
	start := time.Now()
	for i := 0; i < n; i++ {
		syscall.Getpid()
	}
	t.Logf("runtime-host syscall round trip %d ns (getpid x %d)", time.Since(start).Nanoseconds()/n, n)
}

// measurePingPong bounces a turn between two threads pinned to CPUs 0
// and 1 (goroutines locked to their threads), each waiting for its turn
// with FUTEX_WAIT and handing it over with FUTEX_WAKE: one round trip is
// two cross-CPU futex wakeups.
func measurePingPong(t *T) {
	if runtime.NumCPU() < 2 {
		t.Logf("futex ping-pong skipped: 1 CPU")
		return
	}
	const rounds = 2000
	var turn atomic.Uint32
	done := make(chan [2]int, 2)
	player := func(me uint32) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := pinThread(int(me)); err != nil {
			t.Errorf("pin to CPU %d: %v", me, err)
		}
		defer pinThread(-1)
		seen := [2]int{-1, -1}
		for i := 0; i < rounds; i++ {
			for turn.Load() != me {
				futex(&turn, futexWaitPrivate, 1-me)
			}
			seen[i%2] = runtimehost.CurrentCPU()
			turn.Store(1 - me)
			futex(&turn, futexWakePrivate, 1)
		}
		done <- seen
	}
	s0 := runtimehost.ReadStats()
	start := time.Now()
	go player(0)
	go player(1)
	a, b := <-done, <-done
	el := time.Since(start)
	s1 := runtimehost.ReadStats()
	if a[0] == b[0] {
		t.Errorf("both players ran on CPU %d", a[0])
	}
	t.Logf("futex ping-pong %.1f µs per round trip (threads on CPUs %v and %v; %d wakeup IPIs, %d traps)",
		float64(el.Nanoseconds())/1000/rounds, a, b, s1.IPIs-s0.IPIs, s1.Traps-s0.Traps)
}

const (
	futexWaitPrivate = 0 | 128
	futexWakePrivate = 1 | 128
)

// futex calls FUTEX_WAIT or FUTEX_WAKE directly (RawSyscall: the thread
// keeps its P, so the Go scheduler stays out of the measurement).
func futex(addr *atomic.Uint32, op uintptr, val uint32) {
	syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), op, uintptr(val), 0, 0, 0)
}

// pinThread restricts the calling thread to CPU cpu, or lets it run
// anywhere for cpu < 0.
func pinThread(cpu int) error {
	mask := ^uint64(0)
	if cpu >= 0 {
		mask = 1 << uint(cpu)
	}
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, 8, uintptr(unsafe.Pointer(&mask)))
	if e != 0 {
		return e
	}
	return nil
}
