package runtimehost

import (
	"encoding/binary"

	"github.com/limnx/limnx/kernel/klog"
)

type fileKind uint8

const (
	fkNone fileKind = iota
	fkConsole
	fkEventfd
	fkEpoll
	fkPipeR // read end of pipes[pipe]
	fkPipeW // write end of pipes[pipe]
)

// epollInterest is one fd registered with an epoll instance.
type epollInterest struct {
	fd      int32
	events  uint32
	data    uint64
	pending bool // EPOLLET: the fd changed since its last report
}

// file is an open file of the kernel program; protected by hostLock.
type file struct {
	kind     fileKind
	nonblock bool
	count    uint64            // eventfd counter
	interest [16]epollInterest // epoll interest list
	nInt     int
	pipe     int32 // index into pipes for fkPipeR/fkPipeW
}

const maxFiles = 64

// files is the fd table; 0-2 are the console.
var files = [maxFiles]file{0: {kind: fkConsole}, 1: {kind: fkConsole}, 2: {kind: fkConsole}}

func getFile(fd uint64) *file {
	if fd >= maxFiles || files[fd].kind == fkNone {
		return nil
	}
	return &files[fd]
}

func allocFD() int64 {
	for i := 3; i < maxFiles; i++ {
		if files[i].kind == fkNone {
			return int64(i)
		}
	}
	return -EMFILE
}

func sysWrite(t *Thread, f *Frame) int64 {
	fl := getFile(f.Arg(0))
	if fl == nil {
		return -EBADF
	}
	b, ok := userBytes(f.Arg(1), f.Arg(2))
	if !ok {
		return -EFAULT
	}
	switch fl.kind {
	case fkConsole:
		klog.Lock(curCPU().id)
		klog.Bytes(b)
		klog.Unlock()
		return int64(len(b))
	case fkEventfd:
		if len(b) < 8 {
			return -EINVAL
		}
		fl.count += binary.LittleEndian.Uint64(b)
		fileChanged(int32(f.Arg(0)))
		return 8
	case fkPipeW:
		return pipeWrite(t, f, fl, b)
	}
	return -EINVAL
}

func sysRead(t *Thread, f *Frame) int64 {
	fl := getFile(f.Arg(0))
	if fl == nil {
		return -EBADF
	}
	b, ok := userBytes(f.Arg(1), f.Arg(2))
	if !ok {
		return -EFAULT
	}
	switch fl.kind {
	case fkConsole:
		if f.Arg(0) != 0 {
			return -EBADF
		}
		return consoleRead(t, f, b, fl.nonblock)
	case fkEventfd:
		if len(b) < 8 {
			return -EINVAL
		}
		if fl.count == 0 {
			return -EAGAIN
		}
		binary.LittleEndian.PutUint64(b, fl.count)
		fl.count = 0
		fileChanged(int32(f.Arg(0)))
		return 8
	case fkPipeR:
		return pipeRead(t, f, fl, b)
	}
	return -EINVAL
}

func sysClose(t *Thread, f *Frame) int64 {
	fl := getFile(f.Arg(0))
	if fl == nil {
		return -EBADF
	}
	if f.Arg(0) > 2 {
		if fl.kind == fkPipeR || fl.kind == fkPipeW {
			pipeClose(fl)
		}
		*fl = file{}
	}
	return 0
}

func sysOpenat(t *Thread, f *Frame) int64 { return -ENOENT }

const (
	_F_GETFD = 1
	_F_SETFD = 2
	_F_GETFL = 3
	_F_SETFL = 4

	_O_RDWR     = 2
	_O_NONBLOCK = 0x800
)

func sysFcntl(t *Thread, f *Frame) int64 {
	fl := getFile(f.Arg(0))
	if fl == nil {
		return -EBADF
	}
	switch f.Arg(1) {
	case _F_GETFD, _F_SETFD:
		return 0
	case _F_GETFL:
		if fl.nonblock {
			return _O_RDWR | _O_NONBLOCK
		}
		return _O_RDWR
	case _F_SETFL:
		fl.nonblock = f.Arg(2)&_O_NONBLOCK != 0
		return 0
	}
	return -EINVAL
}

const _EFD_NONBLOCK = 0x800

func sysEventfd2(t *Thread, f *Frame) int64 {
	fd := allocFD()
	if fd < 0 {
		return fd
	}
	files[fd] = file{kind: fkEventfd, count: uint64(uint32(f.Arg(0))), nonblock: f.Arg(1)&_EFD_NONBLOCK != 0}
	return fd
}

func sysEpollCreate1(t *Thread, f *Frame) int64 {
	fd := allocFD()
	if fd < 0 {
		return fd
	}
	files[fd] = file{kind: fkEpoll}
	return fd
}

const (
	_EPOLL_CTL_ADD = 1
	_EPOLL_CTL_DEL = 2
	_EPOLL_CTL_MOD = 3

	_EPOLLIN    = 0x1
	_EPOLLOUT   = 0x4
	_EPOLLERR   = 0x8
	_EPOLLHUP   = 0x10
	_EPOLLRDHUP = 0x2000
	_EPOLLET    = 1 << 31
)

func sysEpollCtl(t *Thread, f *Frame) int64 {
	ep := getFile(f.Arg(0))
	if ep == nil || ep.kind != fkEpoll {
		return -EBADF
	}
	fd, op := int32(f.Arg(2)), f.Arg(1)
	if getFile(uint64(uint32(fd))) == nil {
		return -EBADF
	}
	idx := -1
	for i := 0; i < ep.nInt; i++ {
		if ep.interest[i].fd == fd {
			idx = i
		}
	}
	switch op {
	case _EPOLL_CTL_ADD, _EPOLL_CTL_MOD:
		ev, ok := userBytes(f.Arg(3), 12) // struct epoll_event is packed: u32 events, u64 data
		if !ok {
			return -EFAULT
		}
		in := epollInterest{fd: fd, events: binary.LittleEndian.Uint32(ev), data: binary.LittleEndian.Uint64(ev[4:]), pending: true}
		if idx < 0 {
			if op == _EPOLL_CTL_MOD {
				return -ENOENT
			}
			if ep.nInt == len(ep.interest) {
				return -ENOMEM
			}
			idx = ep.nInt
			ep.nInt++
		}
		ep.interest[idx] = in
		return 0
	case _EPOLL_CTL_DEL:
		if idx < 0 {
			return -ENOENT
		}
		ep.nInt--
		ep.interest[idx] = ep.interest[ep.nInt]
		return 0
	}
	return -EINVAL
}

// readiness returns the epoll events fd would report now.
func readiness(fd int32) uint32 {
	fl := getFile(uint64(uint32(fd)))
	if fl == nil {
		return _EPOLLERR
	}
	switch fl.kind {
	case fkConsole:
		return _EPOLLOUT
	case fkEventfd:
		if fl.count > 0 {
			return _EPOLLIN | _EPOLLOUT
		}
		return _EPOLLOUT
	case fkPipeR:
		p := &pipes[fl.pipe]
		var ev uint32
		if p.len() > 0 {
			ev |= _EPOLLIN
		}
		if p.writers == 0 {
			ev |= _EPOLLIN | _EPOLLHUP | _EPOLLRDHUP
		}
		return ev
	case fkPipeW:
		p := &pipes[fl.pipe]
		if p.readers == 0 {
			return _EPOLLOUT | _EPOLLERR
		}
		if p.len() < uint32(len(p.buf)) {
			return _EPOLLOUT
		}
	}
	return 0
}

// epollCollect writes up to max ready events of ep to the user array at
// events and returns how many it wrote. Edge-triggered interests report
// only after their fd changed (fileChanged), level-triggered ones whenever
// ready.
func epollCollect(ep *file, events uint64, max int32) int64 {
	n := int64(0)
	for i := 0; i < ep.nInt && n < int64(max); i++ {
		in := &ep.interest[i]
		if in.events&_EPOLLET != 0 && !in.pending {
			continue
		}
		ev := readiness(in.fd) & (in.events | _EPOLLERR | _EPOLLHUP)
		if ev == 0 {
			continue
		}
		out, ok := userBytes(events+uint64(n)*12, 12)
		if !ok {
			return -EFAULT
		}
		binary.LittleEndian.PutUint32(out, ev)
		binary.LittleEndian.PutUint64(out[4:], in.data)
		in.pending = false
		n++
	}
	return n
}

// fileChanged notes that fd's readiness may have changed: edge-triggered
// interests in it become pending and epoll waiters are rechecked.
func fileChanged(fd int32) {
	for i := range files {
		ep := &files[i]
		if ep.kind != fkEpoll {
			continue
		}
		for j := 0; j < ep.nInt; j++ {
			if ep.interest[j].fd == fd {
				ep.interest[j].pending = true
			}
		}
	}
	pollWake()
}

// sysEpollWait serves epoll_wait and epoll_pwait (the signal mask is
// ignored). Eventfds, pipes and the console have readiness.
func sysEpollWait(t *Thread, f *Frame) int64 {
	ep := getFile(f.Arg(0))
	if ep == nil || ep.kind != fkEpoll {
		return -EBADF
	}
	max, timeout := int32(f.Arg(2)), int32(f.Arg(3))
	if max <= 0 {
		return -EINVAL
	}
	if n := epollCollect(ep, f.Arg(1), max); n != 0 || timeout == 0 {
		return n
	}
	t.epfd, t.epEvents, t.epMax = int32(f.Arg(0)), uintptr(f.Arg(1)), max
	var deadline int64
	if timeout > 0 {
		deadline = nanotime() + int64(timeout)*1_000_000
	}
	park(t, tsEpoll, deadline)
	return 0
}

// pollWake completes the epoll waits that now have events.
func pollWake() {
	for i := int32(0); i < maxThreads; i++ {
		t := &threads[i]
		if t.state != tsEpoll {
			continue
		}
		ep := getFile(uint64(uint32(t.epfd)))
		if ep == nil || ep.kind != fkEpoll {
			wake(i, -EBADF)
			continue
		}
		if n := epollCollect(ep, uint64(t.epEvents), t.epMax); n != 0 {
			wake(i, n)
		}
	}
}
