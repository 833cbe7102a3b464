package bootinfo

import "unsafe"

func unsafeSlice(p *byte, n int) []byte { return unsafe.Slice(p, n) }
