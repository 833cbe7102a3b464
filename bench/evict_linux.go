package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// evictPageCache asks the kernel to drop path's cached pages (they are
// clean: a model file is only read), so that the next mapping reads the
// file afresh: Limnx's mapping, advised for huge pages, then faults it in
// as 2 MiB folios that llama-bench's mapping shares. Pages another process
// has mapped stay.
func evictPageCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

// hugePageBytes returns how much of this process's memory is mapped with
// 2 MiB pages: file mappings (the model, mapped) and anonymous memory
// (the model copied by -mmap=false), from /proc/self/smaps_rollup.
func hugePageBytes() (file, anon int64, ok bool) {
	data, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return 0, 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "FilePmdMapped: %d kB", &kb); err == nil {
			file = kb << 10
		} else if _, err := fmt.Sscanf(line, "AnonHugePages: %d kB", &kb); err == nil {
			anon = kb << 10
		}
	}
	return file, anon, true
}
