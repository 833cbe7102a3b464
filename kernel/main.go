// Command kernel is the Limnx kernel: an ordinary GOOS=linux Go program that
// the PVH loader starts in ring 0, with kernel/runtimehost answering the Go
// runtime's system calls. Build it with cmd/mkimage (see the Makefile).
//
// With limnx.test=kernel on the command line it runs the self-test suite
// (kernel/ktest) and exits with status 1 if a test failed; limnx.test=panic
// panics on purpose, limnx.test=hostfault makes the runtime host fault (to
// test the crash report), limnx.test=banner exits after the banner; otherwise it
// serves the serial console.
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/limnx/limnx/kernel/bootinfo"
	"github.com/limnx/limnx/kernel/ktest"
	"github.com/limnx/limnx/kernel/runtimehost"
)

func main() {
	debug.SetTraceback("all") // a kernel panic shows every goroutine
	boot := runtimehost.SinceBoot()
	fmt.Printf("Limnx: %d CPUs, %d MiB RAM, boot %d ms\n",
		runtime.NumCPU(), bootinfo.RAMBytes()>>20, boot.Milliseconds())
	fmt.Printf("cmdline: %q\n", bootinfo.Cmdline())
	if ird := bootinfo.Initramfs(); ird != nil {
		fmt.Printf("initramfs: %d bytes, sha256 %x\n", len(ird), sha256.Sum256(ird))
	}
	switch v, _ := bootinfo.Param("limnx.test"); v {
	case "kernel":
		_, failed := ktest.Run(os.Stdout, ktest.Kernel)
		if failed > 0 {
			os.Exit(1)
		}
		return
	case "banner":
		return
	case "hostfault":
		runtimehost.DebugFault(0xffffe00000002000)
	case "panic":
		go func() { select {} }() // a second goroutine for the traceback
		panic("deliberate kernel panic (limnx.test=panic)")
	}
	console(os.Stdin, os.Stdout)
}
