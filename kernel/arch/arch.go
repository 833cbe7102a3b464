// Package arch is the small interface between the kernel's portable code
// and the processor. Each architecture implements the functions below in
// arch_GOARCH.go on top of its own package (kernel/arch/amd64 today,
// kernel/arch/arm64 next); portable code calls only these.
//
// Besides these functions an architecture provides, in its own files of
// kernel/runtimehost (named *_GOARCH.go/.s): the trap and system-call entry
// and exit paths, the register Frame with Arg/SetRet/SetSP, the Linux
// signal frame, the system-call table (numbers differ per architecture),
// CPU bring-up, the timer and the interrupt controller; and in kernel/mm
// the page-table format. Every function here may run in the runtime host:
// none allocates or blocks.
package arch
