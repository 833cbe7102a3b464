package runtimehost

import (
	"unsafe"

	"github.com/limnx/limnx/kernel/arch/amd64"
)

// Signals and si_code values the host delivers.
const (
	_SIGILL  = 4
	_SIGFPE  = 8
	_SIGSEGV = 11

	_SI_KERNEL   = 0x80
	_SEGV_MAPERR = 1
	_SEGV_ACCERR = 2
	_FPE_INTDIV  = 1
	_ILL_ILLOPN  = 2

	_SS_ONSTACK = 1
	_SS_DISABLE = 2
)

// sigFrame is Linux's x86-64 rt_sigframe as the Go runtime's handler reads
// it: the return address (sa_restorer), a ucontext and a siginfo; the XSAVE
// image follows at fpstate (64-byte aligned).
//
//	0 pretcode  8 uc_flags  16 uc_link  24 uc_stack  48 uc_mcontext.gregs[23]
//	232 fpregs  240 reserved[8]  304 uc_sigmask  312 siginfo[128]
type sigFrame struct {
	pretcode uint64
	ucFlags  uint64
	ucLink   uint64
	ucStack  [3]uint64
	gregs    [23]uint64 // R8..R15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP, RIP, EFL, CSGSFS, ERR, TRAPNO, OLDMASK, CR2
	fpregs   uint64
	_        [8]uint64
	sigmask  uint64
	info     [16]uint64 // si_signo:32 si_errno:32 | si_code:32 pad | si_addr ...
}

// Indices into sigFrame.gregs.
const (
	gR8 = iota
	gR9
	gR10
	gR11
	gR12
	gR13
	gR14
	gR15
	gRDI
	gRSI
	gRBP
	gRBX
	gRDX
	gRAX
	gRCX
	gRSP
	gRIP
	gEFL
	gCSGSFS
	gERR
	gTRAPNO
	gOLDMASK
	gCR2
)

// signalsDelivered counts signal frames built; protected by hostLock.
var signalsDelivered uint64

// deliverSignal makes thread t run its handler for sig, on its alternate
// signal stack if it has one, with a Linux signal frame describing the
// interrupted state. It returns false if no handler is installed or the
// frame cannot be written.
func deliverSignal(t *Thread, sig int, code int32, addr uint64) bool {
	sa := &sigactions[sig]
	if sa.Handler <= 1 || sa.Restorer == 0 { // SIG_DFL, SIG_IGN
		return false
	}
	f := &t.frame
	sp := f.RSP - 128 // skip the red zone
	onStack := false
	if t.altstack[1]&_SS_DISABLE == 0 && t.altstack[2] != 0 {
		lo, hi := t.altstack[0], t.altstack[0]+t.altstack[2]
		if f.RSP > lo && f.RSP <= hi {
			onStack = true
		} else {
			sp = hi
		}
	}
	fp := (sp - uint64(xsaveSize)) &^ 63
	frame := (fp-uint64(unsafe.Sizeof(sigFrame{})))&^15 - 8
	if !userRange(uintptr(frame), uintptr(sp-frame)) {
		return false
	}
	sf := userPtr[sigFrame](frame)
	*sf = sigFrame{}
	sf.pretcode = sa.Restorer
	sf.ucStack = t.altstack
	if onStack {
		sf.ucStack[1] = _SS_ONSTACK
	}
	g := &sf.gregs
	g[gR8], g[gR9], g[gR10], g[gR11] = f.R8, f.R9, f.R10, f.R11
	g[gR12], g[gR13], g[gR14], g[gR15] = f.R12, f.R13, f.R14, f.R15
	g[gRDI], g[gRSI], g[gRBP], g[gRBX] = f.DI, f.SI, f.BP, f.BX
	g[gRDX], g[gRAX], g[gRCX], g[gRSP] = f.DX, f.AX, f.CX, f.RSP
	g[gRIP], g[gEFL] = f.RIP, f.RFLAGS
	g[gCSGSFS] = f.CS | f.SS<<48
	g[gERR], g[gTRAPNO], g[gCR2] = f.ErrorCode, f.Vector, addr
	g[gOLDMASK] = t.sigmask
	sf.fpregs = fp
	sf.sigmask = t.sigmask
	t.sigmask |= sa.Mask
	if sa.Flags&_SA_NODEFER == 0 {
		t.sigmask |= 1 << (sig - 1)
	}
	sf.info[0] = uint64(sig)
	sf.info[1] = uint64(uint32(code))
	sf.info[2] = addr
	if code == _SI_TKILL {
		sf.info[2] = 1 // si_pid = 1, si_uid = 0
	}
	img, ok := userBytes(fp, uint64(xsaveSize))
	if !ok {
		return false
	}
	copy(img, xsaveArea(t)[:xsaveSize])

	signalsDelivered++
	f.RIP = sa.Handler
	f.RSP = frame
	f.DI = uint64(sig)
	f.SI = frame + uint64(unsafe.Offsetof(sf.info))
	f.DX = frame + uint64(unsafe.Offsetof(sf.ucFlags))
	f.AX = 0
	f.RFLAGS &^= amd64.RFLAGS_DF | amd64.RFLAGS_TF | amd64.RFLAGS_AC
	return true
}

// sysRtSigreturn restores the state a signal handler interrupted, as the
// handler (or the Go runtime, which rewrites RIP and RSP to inject
// sigpanic) left it in the frame.
func sysRtSigreturn(t *Thread, f *Frame) int64 {
	sf := userPtr[sigFrame](f.RSP - 8)
	if sf == nil {
		return -EFAULT
	}
	g := &sf.gregs
	f.R8, f.R9, f.R10, f.R11 = g[gR8], g[gR9], g[gR10], g[gR11]
	f.R12, f.R13, f.R14, f.R15 = g[gR12], g[gR13], g[gR14], g[gR15]
	f.DI, f.SI, f.BP, f.BX = g[gRDI], g[gRSI], g[gRBP], g[gRBX]
	f.DX, f.AX, f.CX, f.RSP = g[gRDX], g[gRAX], g[gRCX], g[gRSP]
	f.RIP = g[gRIP]
	const userFlags = 0xcd5 // CF PF AF ZF SF OF DF
	f.RFLAGS = f.RFLAGS&^userFlags | g[gEFL]&userFlags | amd64.RFLAGS_IF
	f.CS, f.SS = amd64.KernelCS, amd64.KernelDS
	t.sigmask = sf.sigmask
	if sf.fpregs != 0 {
		if img, ok := userBytes(sf.fpregs, uint64(xsaveSize)); ok {
			copy(xsaveArea(t)[:xsaveSize], img)
			t.fpuSaved = true // resume restores what the handler left
		}
	}
	return int64(f.AX)
}
