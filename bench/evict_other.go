//go:build !linux

package main

// evictPageCache does nothing where there is no posix_fadvise.
func evictPageCache(string) error { return nil }

// hugePageBytes is not known here.
func hugePageBytes() (file, anon int64, ok bool) { return 0, 0, false }
