// Package bootimage turns a linked Limnx kernel ELF into what QEMU's PVH
// boot starts: the loader image (kernel/arch/amd64/boot, assembled with GNU
// as and ld) for -kernel, and the module for -initrd, which is a header the
// loader reads followed by the unmodified kernel ELF and the initramfs.
//
// It runs on the build host; cmd/mkimage and the boot tests use it.
package bootimage

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/limnx/limnx/kernel/arch/amd64/boot"
)

// Addresses of the kernel image.
const (
	KernelVirtBase = 0xffffffff80000000 // virtual address of KernelPhysBase
	KernelPhysBase = 0x1000000          // where the loader copies the kernel
	TextAddr       = 0xffffffff80101000 // the linker's -T
)

// LinkerFlags are the -ldflags the kernel must be linked with (the Go
// linker takes the text address only in signed form).
const LinkerFlags = "-T -2146430976"

// EntrySymbol is the kernel function the loader jumps to.
const EntrySymbol = "github.com/limnx/limnx/kernel/runtimehost.rt0"

const (
	headerSize  = 4096
	maxSegments = 8
	moduleMagic = "LIMNXMOD"
)

// ErrNotKernel is returned for an ELF that is not a Limnx kernel.
var ErrNotKernel = errors.New("bootimage: not a Limnx kernel ELF")

// Module returns the PVH module for kernelELF with initramfs (may be nil)
// appended. Layout: a 4 KiB header (see loader.asm), the kernel ELF, then
// the initramfs at the next 4 KiB boundary.
func Module(kernelELF, initramfs []byte) ([]byte, error) {
	f, err := elf.NewFile(bytes.NewReader(kernelELF))
	if err != nil {
		return nil, fmt.Errorf("bootimage: read kernel ELF: %w", err)
	}
	defer f.Close()
	if f.Class != elf.ELFCLASS64 || f.Machine != elf.EM_X86_64 {
		return nil, fmt.Errorf("%w: class %v, machine %v", ErrNotKernel, f.Class, f.Machine)
	}
	entry, err := symbol(f, EntrySymbol)
	if err != nil {
		return nil, err
	}
	type seg struct{ vaddr, off, filesz, memsz uint64 }
	var segs []seg
	var vend uint64
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		if p.Vaddr < KernelVirtBase || p.Vaddr+p.Memsz < p.Vaddr {
			return nil, fmt.Errorf("%w: segment at %#x is outside the kernel window (link with %q)", ErrNotKernel, p.Vaddr, LinkerFlags)
		}
		if p.Off+p.Filesz > uint64(len(kernelELF)) || p.Filesz > p.Memsz {
			return nil, fmt.Errorf("%w: segment at %#x: bad sizes", ErrNotKernel, p.Vaddr)
		}
		segs = append(segs, seg{p.Vaddr, headerSize + p.Off, p.Filesz, p.Memsz})
		if e := p.Vaddr + p.Memsz; e > vend {
			vend = e
		}
	}
	if len(segs) == 0 || len(segs) > maxSegments {
		return nil, fmt.Errorf("%w: %d loadable segments (want 1-%d)", ErrNotKernel, len(segs), maxSegments)
	}
	if vend-KernelVirtBase > 1<<30 {
		return nil, fmt.Errorf("%w: image ends at %#x, past 1 GiB", ErrNotKernel, vend)
	}
	vend = (vend + 4095) &^ 4095

	out := make([]byte, headerSize, headerSize+len(kernelELF)+len(initramfs)+4096)
	le := binary.LittleEndian
	copy(out, moduleMagic)
	le.PutUint64(out[0x08:], 1)
	le.PutUint64(out[0x10:], entry)
	le.PutUint64(out[0x18:], KernelVirtBase)
	le.PutUint64(out[0x20:], KernelPhysBase)
	le.PutUint64(out[0x28:], vend)
	le.PutUint64(out[0x40:], uint64(len(segs)))
	for i, s := range segs {
		o := 0x50 + 32*i
		le.PutUint64(out[o:], s.vaddr)
		le.PutUint64(out[o+8:], s.off)
		le.PutUint64(out[o+16:], s.filesz)
		le.PutUint64(out[o+24:], s.memsz)
	}
	out = append(out, kernelELF...)
	if len(initramfs) > 0 {
		for len(out)%4096 != 0 {
			out = append(out, 0)
		}
		le.PutUint64(out[0x30:], uint64(len(out)))
		le.PutUint64(out[0x38:], uint64(len(initramfs)))
		out = append(out, initramfs...)
	}
	return out, nil
}

func symbol(f *elf.File, name string) (uint64, error) {
	syms, err := f.Symbols()
	if err != nil {
		return 0, fmt.Errorf("%w: no symbol table (do not strip the kernel): %v", ErrNotKernel, err)
	}
	for _, s := range syms {
		if s.Name == name {
			return s.Value, nil
		}
	}
	return 0, fmt.Errorf("%w: symbol %s missing", ErrNotKernel, name)
}

// BuildLoader assembles and links the PVH loader into outPath, using as and
// ld from binutils; workDir holds the intermediate files.
func BuildLoader(workDir, outPath string) error {
	src := filepath.Join(workDir, "loader.asm")
	lds := filepath.Join(workDir, "loader.ld")
	obj := filepath.Join(workDir, "loader.o")
	if err := os.WriteFile(src, boot.LoaderSource, 0o644); err != nil {
		return fmt.Errorf("bootimage: %w", err)
	}
	if err := os.WriteFile(lds, boot.LinkerScript, 0o644); err != nil {
		return fmt.Errorf("bootimage: %w", err)
	}
	if out, err := exec.Command("as", "--64", "-o", obj, src).CombinedOutput(); err != nil {
		return fmt.Errorf("bootimage: as: %v\n%s", err, out)
	}
	if out, err := exec.Command("ld", "-m", "elf_x86_64", "-nostdlib", "--no-warn-rwx-segments",
		"-z", "noexecstack", "-T", lds, "-o", outPath, obj).CombinedOutput(); err != nil {
		return fmt.Errorf("bootimage: ld: %v\n%s", err, out)
	}
	return nil
}

// BuildKernel compiles the kernel package pkg (e.g. "./kernel") into
// outPath with the flags the boot path needs, running go in dir.
func BuildKernel(dir, pkg, outPath string) error {
	cmd := exec.Command("go", "build", "-ldflags", LinkerFlags, "-o", outPath, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bootimage: go build %s: %v\n%s", pkg, err, out)
	}
	return nil
}
