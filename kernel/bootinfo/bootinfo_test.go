package bootinfo

import (
	"testing"
	"unsafe"
)

func TestParam(t *testing.T) {
	tests := []struct {
		cmdline, key, want string
		ok                 bool
	}{
		{"limnx.test=kernel", "limnx.test", "kernel", true},
		{"a=1  limnx.test=kernel b", "limnx.test", "kernel", true},
		{"quiet limnx.test=kernel", "quiet", "", true},
		{"limnx.test=a=b", "limnx.test", "a=b", true},
		{"limnx.tests=kernel", "limnx.test", "", false},
		{"", "limnx.test", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.cmdline, func(t *testing.T) {
			got, ok := param(tc.cmdline, tc.key)
			if got != tc.want || ok != tc.ok {
				t.Errorf("param(%q, %q) = %q, %v; want %q, %v", tc.cmdline, tc.key, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// The loader writes the handoff block at fixed offsets (loader.asm).
func TestHandoffLayout(t *testing.T) {
	var h Handoff
	for _, tc := range []struct {
		name      string
		got, want uintptr
	}{
		{"StartInfo", unsafe.Offsetof(h.StartInfo), 0x08},
		{"ReservedEnd", unsafe.Offsetof(h.ReservedEnd), 0x38},
		{"CmdlinePhys", unsafe.Offsetof(h.CmdlinePhys), 0x50},
		{"PML4", unsafe.Offsetof(h.PML4), 0x78},
		{"APParams", unsafe.Offsetof(h.APParams), 0x88},
		{"MemRange size", unsafe.Sizeof(MemRange{}), 24},
	} {
		if tc.got != tc.want {
			t.Errorf("%s at %#x, loader writes %#x", tc.name, tc.got, tc.want)
		}
	}
}
