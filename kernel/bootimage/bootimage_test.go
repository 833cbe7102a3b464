package bootimage

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

func TestModuleRejectsNonKernels(t *testing.T) {
	self, err := os.ReadFile(os.Args[0]) // the test binary: ELF, but linked low
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"garbage", []byte("not an ELF at all")},
		{"host binary", self},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Module(tc.in, nil); err == nil {
				t.Fatal("Module accepted it")
			} else if tc.name == "host binary" && !errors.Is(err, ErrNotKernel) {
				t.Fatalf("error %v is not ErrNotKernel", err)
			}
		})
	}
}

func TestModuleLayout(t *testing.T) {
	dir := t.TempDir()
	kernel := dir + "/kernel.elf"
	if err := BuildKernel("../..", "./kernel", kernel); err != nil {
		t.Fatal(err)
	}
	k, err := os.ReadFile(kernel)
	if err != nil {
		t.Fatal(err)
	}
	ird := []byte("initramfs bytes")
	mod, err := Module(k, ird)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if string(mod[:8]) != moduleMagic {
		t.Errorf("magic %q", mod[:8])
	}
	if e := le.Uint64(mod[0x10:]); e < TextAddr {
		t.Errorf("entry %#x below the text address", e)
	}
	n := le.Uint64(mod[0x40:])
	if n == 0 || n > maxSegments {
		t.Fatalf("%d segments", n)
	}
	for i := uint64(0); i < n; i++ {
		o := 0x50 + 32*i
		off, filesz := le.Uint64(mod[o+8:]), le.Uint64(mod[o+16:])
		if off < headerSize || off+filesz > uint64(len(mod)) {
			t.Errorf("segment %d: offset %#x size %#x outside the module", i, off, filesz)
		}
	}
	off, size := le.Uint64(mod[0x30:]), le.Uint64(mod[0x38:])
	if off%4096 != 0 || string(mod[off:off+size]) != string(ird) {
		t.Errorf("initramfs at %#x (%d bytes) does not hold the input", off, size)
	}
}

// FuzzModule: any input gives a module or an error, never a panic.
func FuzzModule(f *testing.F) {
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		mod, err := Module(b, nil)
		if err == nil && len(mod) < headerSize {
			t.Fatalf("module of %d bytes without an error", len(mod))
		}
	})
}
