package gguf

import "golang.org/x/sys/unix"

// adviseHugePages asks for transparent huge pages on a file mapping. It is
// advice: an error (a kernel without THP) changes nothing.
func adviseHugePages(data []byte) { _ = unix.Madvise(data, unix.MADV_HUGEPAGE) }
