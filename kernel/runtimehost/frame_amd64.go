package runtimehost

// Frame holds a thread's registers as saved at syscall, exception or
// interrupt entry; its last five words are an IRETQ frame. entry_amd64.s
// depends on this layout (see TestFrameLayout).
type Frame struct {
	R15, R14, R13, R12, R11, R10, R9, R8 uint64
	BP, DI, SI, DX, CX, BX, AX           uint64
	Vector, ErrorCode                    uint64
	RIP, CS, RFLAGS, RSP, SS             uint64
}

// vectorSyscall marks a Frame saved by syscallEntry.
const vectorSyscall = 256

// Arg returns system-call argument i (0-5): RDI, RSI, RDX, R10, R8, R9.
func (f *Frame) Arg(i int) uint64 {
	switch i {
	case 0:
		return f.DI
	case 1:
		return f.SI
	case 2:
		return f.DX
	case 3:
		return f.R10
	case 4:
		return f.R8
	case 5:
		return f.R9
	}
	return 0
}

// SetRet sets the system-call result register (RAX).
func (f *Frame) SetRet(v uint64) { f.AX = v }

// SetSP sets the stack pointer the thread resumes with.
func (f *Frame) SetSP(v uint64) { f.RSP = v }

// SyscallNumber returns the number of the system call saved in f.
func (f *Frame) SyscallNumber() uint64 { return f.AX }
