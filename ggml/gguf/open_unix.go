//go:build unix

package gguf

import (
	"fmt"
	"math"
	"os"
	"syscall"
)

// Open maps the file at path read-only (one mmap of the whole file, shared, never
// copied) and parses it. On Linux the mapping is advised for transparent huge
// pages: where the file system keeps large folios (ext4 since Linux 6.16) the
// pages the first reader faults in are 2 MiB folios, mapped with 2 MiB page
// table entries, which streams weights faster (see OpenHugePages); pages a
// writer or reader already cached in 4 KiB folios stay so. The File's tensor data and Values are views into the
// mapping until Close. A malformed file gives an error wrapping one of the
// package's sentinel errors; the mapping is released on every error.
func Open(path string) (*File, error) {
	fd, size, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	// The mapping outlives the descriptor.
	defer fd.Close()
	if size < 24 {
		// Too short for a header; mmap of 0 bytes would fail with EINVAL anyway.
		buf, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("gguf: %w", err)
		}
		f, err := Parse(buf)
		if err != nil {
			return nil, fmt.Errorf("%w (file %s)", err, path)
		}
		return f, nil
	}
	if uint64(size) > math.MaxInt {
		return nil, fmt.Errorf("gguf: %s: %d bytes do not fit in the address space: %w", path, size, ErrTooLarge)
	}
	data, err := syscall.Mmap(int(fd.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("gguf: mmap %s (%d bytes): %w", path, size, err)
	}
	adviseHugePages(data)
	f, err := Parse(data)
	if err != nil {
		syscall.Munmap(data)
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	f.unmap = func() error { return syscall.Munmap(data) }
	return f, nil
}

// openRegular opens the regular file at path and returns its size.
func openRegular(path string) (*os.File, int64, error) {
	fd, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("gguf: %w", err)
	}
	st, err := fd.Stat()
	if err != nil {
		fd.Close()
		return nil, 0, fmt.Errorf("gguf: %w", err)
	}
	if !st.Mode().IsRegular() {
		fd.Close()
		return nil, 0, fmt.Errorf("gguf: %s: not a regular file", path)
	}
	return fd, st.Size(), nil
}
