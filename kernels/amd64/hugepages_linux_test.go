package amd64_test

import "golang.org/x/sys/unix"

// hugeCopy returns a copy of b in anonymous memory advised for
// transparent huge pages (2 MiB pages where the kernel allows them), and
// a function that releases it; nil if the mapping fails.
func hugeCopy(b []byte) ([]byte, func()) {
	const huge = 2 << 20
	buf, err := unix.Mmap(-1, 0, (len(b)+huge-1)/huge*huge, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil, nil
	}
	unix.Madvise(buf, unix.MADV_HUGEPAGE) // advice only: 4 KiB pages if refused
	copy(buf, b)
	return buf[:len(b)], func() { unix.Munmap(buf) }
}
