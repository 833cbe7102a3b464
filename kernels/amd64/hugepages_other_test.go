//go:build !linux

package amd64_test

// hugeCopy has no huge-page mapping outside Linux.
func hugeCopy(b []byte) ([]byte, func()) { return nil, nil }
