//go:build !linux

package gguf

// OpenHugePages is Open where the system has no transparent huge pages to
// ask for (on Linux it copies the file into 2 MiB pages).
func OpenHugePages(path string) (*File, error) { return Open(path) }
