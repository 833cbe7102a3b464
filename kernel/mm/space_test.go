package mm

import "testing"

// These tests use only protections other than 0, so no page table is
// touched (the direct map does not exist on the build host).
func TestSpaceSetSplitsAndMerges(t *testing.T) {
	var s Space
	s.Init(0x100000, 0x10000000, 0)
	const rw = ProtRead | ProtWrite
	if !s.Set(0x100000, 0x200000, ProtRead) {
		t.Fatal("Set failed")
	}
	if !s.Set(0x140000, 0x150000, rw) { // split the middle
		t.Fatal("Set failed")
	}
	if s.Regions() != 3 {
		t.Fatalf("%d regions after a split, want 3", s.Regions())
	}
	for _, tc := range []struct {
		va   uintptr
		prot uint32
		ok   bool
	}{
		{0x100000, ProtRead, true},
		{0x140000, rw, true},
		{0x14ffff, rw, true},
		{0x150000, ProtRead, true},
		{0x200000, 0, false},
	} {
		prot, ok := s.Lookup(tc.va)
		if prot != tc.prot || ok != tc.ok {
			t.Errorf("Lookup(%#x) = %d, %v; want %d, %v", tc.va, prot, ok, tc.prot, tc.ok)
		}
	}
	if !s.Set(0x140000, 0x150000, ProtRead) { // back to one region
		t.Fatal("Set failed")
	}
	if s.Regions() != 1 {
		t.Errorf("%d regions after merging back, want 1", s.Regions())
	}
	if s.IsFree(0x1ff000, 0x201000) || !s.IsFree(0x200000, 0x300000) {
		t.Error("IsFree wrong at the region's end")
	}
}

func TestSpaceReserve(t *testing.T) {
	var s Space
	s.Init(0x100000, 0x400000, 0)
	a, ok := s.Reserve(0x1000)
	if !ok || a != 0x100000 {
		t.Fatalf("Reserve = %#x, %v", a, ok)
	}
	b, ok := s.Reserve(0x20000) // 64 KiB aligned
	if !ok || b%0x10000 != 0 || b < a+0x1000 {
		t.Fatalf("Reserve = %#x, %v; want 64 KiB aligned after %#x", b, ok, a)
	}
	if _, ok := s.Reserve(0x400000); ok {
		t.Error("Reserve past the end succeeded")
	}
}
