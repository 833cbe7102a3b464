// Command mkimage turns a linked Limnx kernel ELF into a QEMU PVH boot pair:
// the loader (for -kernel) and the module (for -initrd).
//
//	mkimage -kernel out/kernel.elf -loader out/loader.elf -module out/limnx.mod [-initramfs f]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/limnx/limnx/kernel/bootimage"
)

func main() {
	kernel := flag.String("kernel", "", "linked kernel ELF (go build -ldflags '"+bootimage.LinkerFlags+"')")
	initramfs := flag.String("initramfs", "", "optional initramfs to append to the module")
	loader := flag.String("loader", "", "output: the PVH loader image for QEMU -kernel")
	module := flag.String("module", "", "output: the module for QEMU -initrd")
	flag.Parse()
	if *kernel == "" || *loader == "" || *module == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*kernel, *initramfs, *loader, *module); err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
}

func run(kernel, initramfs, loader, module string) error {
	k, err := os.ReadFile(kernel)
	if err != nil {
		return err
	}
	var ird []byte
	if initramfs != "" {
		if ird, err = os.ReadFile(initramfs); err != nil {
			return err
		}
	}
	mod, err := bootimage.Module(k, ird)
	if err != nil {
		return err
	}
	if err := os.WriteFile(module, mod, 0o644); err != nil {
		return err
	}
	work, err := os.MkdirTemp(filepath.Dir(loader), "mkimage")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	return bootimage.BuildLoader(work, loader)
}
