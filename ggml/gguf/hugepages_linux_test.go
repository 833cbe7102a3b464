package gguf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

// TestOpenHugePages: the copy starts on a 2 MiB boundary and parses to
// the same header, tensors and bytes as Open's mapping; a truncated file
// is the same error as from Open; Close releases it (twice is fine).
func TestOpenHugePages(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "golden", "qwen3-small-Q4_K_M.gguf")
	mapped, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer mapped.Close()
	copied, err := OpenHugePages(path)
	if err != nil {
		t.Fatal(err)
	}
	if addr := uintptr(unsafe.Pointer(&copied.Data[0])) - uintptr(copied.DataOffset); addr%hugePage != 0 {
		t.Errorf("copy at %#x, not on a 2 MiB boundary", addr)
	}
	if !bytes.Equal(copied.Data, mapped.Data) {
		t.Fatal("copied bytes differ from the file's")
	}
	if len(copied.Tensors) != len(mapped.Tensors) || len(copied.KV) != len(mapped.KV) {
		t.Fatalf("%d tensors, %d keys; Open gives %d, %d", len(copied.Tensors), len(copied.KV), len(mapped.Tensors), len(mapped.KV))
	}
	for i := range copied.Tensors {
		a, b := &copied.Tensors[i], &mapped.Tensors[i]
		if a.Name != b.Name || !bytes.Equal(copied.TensorData(a), mapped.TensorData(b)) {
			t.Fatalf("tensor %d: %q differs from Open's %q", i, a.Name, b.Name)
		}
	}
	if err := copied.Close(); err != nil {
		t.Fatal(err)
	}
	if err := copied.Close(); err != nil {
		t.Fatal(err)
	}

	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.gguf")
	if err := os.WriteFile(cut, full[:len(full)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOpen := Open(cut)
	_, errCopy := OpenHugePages(cut)
	if errOpen == nil || errCopy == nil || errOpen.Error() != errCopy.Error() {
		t.Fatalf("truncated file: OpenHugePages error %v, Open error %v", errCopy, errOpen)
	}
	if _, err := OpenHugePages(filepath.Join(t.TempDir(), "none.gguf")); err == nil || !strings.Contains(err.Error(), "none.gguf") {
		t.Fatalf("missing file: error %v", err)
	}
}
