// Command kernel is the Limnx kernel: an ordinary GOOS=linux Go program that
// the PVH loader starts in ring 0, with kernel/runtimehost answering the Go
// runtime's system calls. Build it with cmd/mkimage (see the Makefile).
package main

import (
	"fmt"
	"runtime"

	"github.com/limnx/limnx/kernel/bootinfo"
	"github.com/limnx/limnx/kernel/runtimehost"
)

func main() {
	boot := runtimehost.SinceBoot()
	fmt.Printf("Limnx: %d CPUs, %d MiB RAM, boot %d ms\n",
		runtime.NumCPU(), bootinfo.RAMBytes()>>20, boot.Milliseconds())
	fmt.Printf("cmdline: %q\n", bootinfo.Cmdline())
}
