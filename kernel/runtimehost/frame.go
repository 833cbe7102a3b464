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
