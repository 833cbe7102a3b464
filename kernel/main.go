// Command kernel is the Limnx kernel: an ordinary GOOS=linux Go program that
// the PVH loader starts in ring 0, with kernel/runtimehost answering the Go
// runtime's system calls. Build it with cmd/mkimage (see the Makefile).
//
// With limnx.test=kernel on the command line it runs the self-test suite
// (kernel/ktest) and exits with status 1 if a test failed; otherwise it
// prints the banner and serves the serial console.
package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/limnx/limnx/kernel/bootinfo"
	"github.com/limnx/limnx/kernel/ktest"
	"github.com/limnx/limnx/kernel/runtimehost"
)

func main() {
	boot := runtimehost.SinceBoot()
	fmt.Printf("Limnx: %d CPUs, %d MiB RAM, boot %d ms\n",
		runtime.NumCPU(), bootinfo.RAMBytes()>>20, boot.Milliseconds())
	fmt.Printf("cmdline: %q\n", bootinfo.Cmdline())
	if v, _ := bootinfo.Param("limnx.test"); v == "kernel" {
		_, failed := ktest.Run(os.Stdout, ktest.Kernel)
		if failed > 0 {
			os.Exit(1)
		}
		return
	}
}
