package runtimehost

import (
	"testing"
	"time"
	"unsafe"
)

// entry_amd64.s addresses these fields by number.
func TestCPULayout(t *testing.T) {
	var c CPU
	tests := []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"self", unsafe.Offsetof(c.self), 0x00},
		{"frame", unsafe.Offsetof(c.frame), 0x08},
		{"scratch", unsafe.Offsetof(c.scratch), 0x10},
		{"stackTop", unsafe.Offsetof(c.stackTop), 0x18},
		{"hostFS", unsafe.Offsetof(c.hostFS), 0x20},
		{"xsave", unsafe.Offsetof(c.xsave), 0x28},
		{"threadFS", unsafe.Offsetof(c.threadFS), 0x30},
		{"inHost", unsafe.Offsetof(c.inHost), 0x38},
		{"tls", unsafe.Offsetof(c.tls), 0x40},
		{"xrstor", unsafe.Offsetof(c.xrstor), 0x50},
		{"g", unsafe.Offsetof(c.g), 0x58},
		{"g.guard0", unsafe.Offsetof(c.g.guard0), 0x10},
		{"hostStackSize", hostStackSize, 65536},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s at %#x, entry_amd64.s expects %#x", tc.name, tc.got, tc.want)
		}
	}
}

func TestFrameLayout(t *testing.T) {
	var f Frame
	tests := []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"R15", unsafe.Offsetof(f.R15), 0},
		{"BP", unsafe.Offsetof(f.BP), 64},
		{"AX", unsafe.Offsetof(f.AX), 112},
		{"Vector", unsafe.Offsetof(f.Vector), 120},
		{"RIP", unsafe.Offsetof(f.RIP), 136},
		{"SS", unsafe.Offsetof(f.SS), 168},
		{"size", unsafe.Sizeof(f), 176},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s at %d, entry_amd64.s expects %d", tc.name, tc.got, tc.want)
		}
	}
}

// The table must be data the linker lays out: the runtime's first calls
// come before any initializer runs.
func TestTableCoversRuntimeCalls(t *testing.T) {
	for _, nr := range []int{0, 1, 3, 9, 10, 11, 13, 14, 24, 28, 35, 39, 56, 60, 72, 131, 158, 186, 202, 204, 228, 231, 234, 257, 281, 290, 291, 302, 318} {
		if nr >= len(table) || table[nr].Fn == nil || table[nr].Name == "" {
			t.Errorf("system call %d has no handler", nr)
		}
	}
}

func TestDaysFromCivil(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		want := d.Unix() / 86400
		if got := daysFromCivil(int64(d.Year()), int64(d.Month()), int64(d.Day())); got != want {
			t.Errorf("daysFromCivil(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
	}
}
