// Package boot holds the x86-64 PVH loader's source (GNU as and an ld
// script), embedded so that kernel/bootimage can assemble it anywhere.
package boot

import _ "embed"

// LoaderSource is loader.asm: the 32-bit PVH entry that enters long mode,
// maps the kernel and jumps to it (GNU as syntax).
//
//go:embed loader.asm
var LoaderSource []byte

// LinkerScript is loader.ld, which places the loader at 1 MiB and emits the
// PT_NOTE segment that QEMU's PVH boot looks for.
//
//go:embed loader.ld
var LinkerScript []byte
