package runtimehost

import (
	"github.com/limnx/limnx/kernel/klog"
	"github.com/limnx/limnx/kernel/mm"
)

// Syscall is one row of the system-call table.
type Syscall struct {
	Name string
	// Fn serves the call for thread t whose registers are f (arguments in
	// DI, SI, DX, R10, R8, R9). It returns the result or a negated errno;
	// if it parks t, the result is written later by whoever wakes t.
	Fn   func(t *Thread, f *Frame) int64
	Note string // what is missing, for partial support
}

// sysIdle is the idle threads' private call (see idleLoop).
const sysIdle = 1000

// sysDebugFault makes the host itself fault (limnx.test=hostfault), to
// exercise the crash reporter.
const sysDebugFault = 1001

// table maps x86-64 Linux system-call numbers to handlers. It must be
// initialized statically: the runtime makes its first calls before any
// package initializer runs.
var table = [...]Syscall{
	0:   {Name: "read", Fn: sysRead, Note: "console (fd 0), eventfds, pipes"},
	1:   {Name: "write", Fn: sysWrite, Note: "console (fds 1-2), eventfds, pipes"},
	3:   {Name: "close", Fn: sysClose},
	9:   {Name: "mmap", Fn: sysMmap, Note: "anonymous private mappings only"},
	10:  {Name: "mprotect", Fn: sysMprotect, Note: "PROT_NONE drops the contents"},
	11:  {Name: "munmap", Fn: sysMunmap},
	13:  {Name: "rt_sigaction", Fn: sysRtSigaction},
	14:  {Name: "rt_sigprocmask", Fn: sysRtSigprocmask},
	15:  {Name: "rt_sigreturn", Fn: sysRtSigreturn},
	17:  {Name: "pread64", Fn: sysBadFD},
	24:  {Name: "sched_yield", Fn: sysSchedYield},
	28:  {Name: "madvise", Fn: sysMadvise, Note: "DONTNEED and FREE zero; other advice ignored"},
	35:  {Name: "nanosleep", Fn: sysNanosleep},
	39:  {Name: "getpid", Fn: sysGetpid},
	56:  {Name: "clone", Fn: sysClone, Note: "threads only (CLONE_VM|CLONE_THREAD)"},
	60:  {Name: "exit", Fn: sysExit},
	63:  {Name: "uname", Fn: sysUname},
	72:  {Name: "fcntl", Fn: sysFcntl, Note: "F_GETFD, F_SETFD, F_GETFL, F_SETFL"},
	102: {Name: "getuid", Fn: sysZero},
	104: {Name: "getgid", Fn: sysZero},
	107: {Name: "geteuid", Fn: sysZero},
	108: {Name: "getegid", Fn: sysZero},
	110: {Name: "getppid", Fn: sysZero},
	131: {Name: "sigaltstack", Fn: sysSigaltstack},
	157: {Name: "prctl", Fn: sysInval},
	158: {Name: "arch_prctl", Fn: sysArchPrctl, Note: "ARCH_SET_FS, ARCH_GET_FS"},
	186: {Name: "gettid", Fn: sysGettid},
	202: {Name: "futex", Fn: sysFutex, Note: "FUTEX_WAIT and FUTEX_WAKE"},
	203: {Name: "sched_setaffinity", Fn: sysSchedSetaffinity, Note: "calling thread only"},
	204: {Name: "sched_getaffinity", Fn: sysSchedGetaffinity},
	228: {Name: "clock_gettime", Fn: sysClockGettime},
	231: {Name: "exit_group", Fn: sysExitGroup},
	232: {Name: "epoll_wait", Fn: sysEpollWait},
	233: {Name: "epoll_ctl", Fn: sysEpollCtl},
	234: {Name: "tgkill", Fn: sysTgkill, Note: "SIGURG ignored, other signals stop the kernel"},
	257: {Name: "openat", Fn: sysOpenat, Note: "no files: ENOENT"},
	281: {Name: "epoll_pwait", Fn: sysEpollWait},
	290: {Name: "eventfd2", Fn: sysEventfd2},
	291: {Name: "epoll_create1", Fn: sysEpollCreate1},
	293: {Name: "pipe2", Fn: sysPipe2, Note: "16 pipes of 4 KiB"},
	302: {Name: "prlimit64", Fn: sysPrlimit64},
	318: {Name: "getrandom", Fn: sysGetrandom},
}

// enosysSeen records the unknown numbers already logged.
var enosysSeen [512]bool

// doSyscall serves the call saved in t's frame.
func doSyscall(c *CPU, t *Thread) {
	f := &t.frame
	nr := f.AX
	c.syscalls++
	var r int64
	switch {
	case nr < uint64(len(table)) && table[nr].Fn != nil:
		u := mm.Unmaps()
		r = table[nr].Fn(t, f)
		if mm.Unmaps() != u {
			tlbShootdown(c)
		}
	case nr == sysIdle:
		r = sysIdleCall(c, t)
	case nr == sysDebugFault:
		r = debugFault(f.DI)
	default:
		if nr >= uint64(len(enosysSeen)) || !enosysSeen[nr] {
			if nr < uint64(len(enosysSeen)) {
				enosysSeen[nr] = true
			}
			klog.Lock(c.id)
			klog.Str("limnx: unknown system call ")
			klog.Dec(int64(nr))
			klog.Str(": ENOSYS\n")
			klog.Unlock()
		}
		r = -ENOSYS
	}
	if t.state == tsRunning {
		f.AX = uint64(r)
	}
}

func sysZero(t *Thread, f *Frame) int64  { return 0 }
func sysInval(t *Thread, f *Frame) int64 { return -EINVAL }
func sysBadFD(t *Thread, f *Frame) int64 { return -EBADF }
