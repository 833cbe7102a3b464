package runtimehost

import (
	"encoding/binary"
	"unsafe"

	"github.com/limnx/limnx/kernel/directmap"
)

// The vDSO: a minimal ELF image (one PT_LOAD, a PT_DYNAMIC with DT_HASH,
// DT_SYMTAB, DT_STRTAB and a DT_VERDEF holding only the base version, which
// the runtime's parser requires) exporting __vdso_clock_gettime, whose code is
// vdsoClockGettime in entry_amd64.s. Handing it to the runtime as
// AT_SYSINFO_EHDR lets time.Now and the scheduler's clock read the TSC
// directly instead of making a system call.
//
// Layout of vdsoImage (offsets in bytes; the image's virtual addresses are
// its offsets, so symbol values are relative to the image):
//
//	0x000 ELF header   0x040 2 program headers   0x0b0 dynamic (7 entries)
//	0x120 hash         0x140 symbols (3 x 24)     0x188 strings   0x1d0 verdef
var vdsoImage [64]uint64

// Implemented in entry_amd64.s.
func vdsoClockGettimePC() uintptr

const (
	vdsoPhdrs  = 0x40
	vdsoDyn    = 0xb0
	vdsoHash   = 0x120
	vdsoSyms   = 0x140
	vdsoStrs   = 0x188
	vdsoVerdef = 0x1d0
	vdsoSize   = 0x200
)

// buildVDSO fills vdsoImage and returns its address.
func buildVDSO() uintptr {
	img := (*[vdsoSize]byte)(unsafe.Pointer(&vdsoImage[0]))
	base := uintptr(unsafe.Pointer(img))
	le := binary.LittleEndian
	copy(img[0:], "\x7fELF\x02\x01\x01") // ELFCLASS64, little-endian, version 1
	le.PutUint16(img[16:], 3)            // ET_DYN
	le.PutUint16(img[18:], 62)           // EM_X86_64
	le.PutUint32(img[20:], 1)
	le.PutUint64(img[32:], vdsoPhdrs) // e_phoff
	le.PutUint16(img[52:], 64)        // e_ehsize
	le.PutUint16(img[54:], 56)        // e_phentsize
	le.PutUint16(img[56:], 2)         // e_phnum
	phdr := func(i int, typ uint32, off, size uint64) {
		p := img[vdsoPhdrs+56*i:]
		le.PutUint32(p[0:], typ)
		le.PutUint32(p[4:], 5) // R+X
		le.PutUint64(p[8:], off)
		le.PutUint64(p[16:], off)
		le.PutUint64(p[24:], off)
		le.PutUint64(p[32:], size)
		le.PutUint64(p[40:], size)
		le.PutUint64(p[48:], 8)
	}
	phdr(0, 1, 0, vdsoSize)   // PT_LOAD
	phdr(1, 2, vdsoDyn, 7*16) // PT_DYNAMIC
	dyn := func(i int, tag, val uint64) {
		le.PutUint64(img[vdsoDyn+16*i:], tag)
		le.PutUint64(img[vdsoDyn+16*i+8:], val)
	}
	dyn(0, 4, vdsoHash)            // DT_HASH
	dyn(1, 5, vdsoStrs)            // DT_STRTAB
	dyn(2, 6, vdsoSyms)            // DT_SYMTAB
	dyn(3, 10, 0x40)               // DT_STRSZ
	dyn(4, 11, 24)                 // DT_SYMENT
	dyn(5, 0x6ffffffc, vdsoVerdef) // DT_VERDEF
	dyn(6, 0, 0)                   // DT_NULL
	// Verdef: version 1, VER_FLG_BASE, index 1, no successor; the runtime
	// then finds no LINUX_2.6 version and matches symbols by name alone.
	le.PutUint16(img[vdsoVerdef:], 1)
	le.PutUint16(img[vdsoVerdef+2:], 1)
	le.PutUint16(img[vdsoVerdef+4:], 1)
	// DT_HASH: one bucket holding symbol 1; chain 1 -> end.
	for i, v := range []uint32{1, 3, 1, 0, 0} { // nbucket, nchain, bucket[0], chain[0..1]
		le.PutUint32(img[vdsoHash+4*i:], v)
	}
	le.PutUint32(img[vdsoHash+4*5:], 0) // chain[2]
	name := "__vdso_clock_gettime"
	copy(img[vdsoStrs+1:], name)
	sym := img[vdsoSyms+24:] // symbol 1 (symbol 0 stays null)
	le.PutUint32(sym[0:], 1) // st_name
	sym[4] = 1<<4 | 2        // STB_GLOBAL, STT_FUNC
	le.PutUint16(sym[6:], 1) // st_shndx: defined
	le.PutUint64(sym[8:], uint64(vdsoClockGettimePC()-base))
	return base
}

// installVDSO builds the vDSO and turns the loader's AT_IGNORE auxv slot on
// the initial stack at sp into AT_SYSINFO_EHDR.
func installVDSO(sp uintptr) {
	at := func(i uintptr) *uint64 { return directmap.At[uint64](sp + 8*i) }
	argc := *at(0)
	i := 1 + uintptr(argc) + 1 // skip argv and its NULL
	for *at(i) != 0 {          // envp
		i++
	}
	for i++; *at(i) != 0; i += 2 { // auxv
		if *at(i) == 1 { // AT_IGNORE
			*at(i) = 33 // AT_SYSINFO_EHDR
			*at(i + 1) = uint64(buildVDSO())
			return
		}
	}
}
