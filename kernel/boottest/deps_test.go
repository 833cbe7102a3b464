package boottest

// The boot tests build the kernel with go build in a subprocess, which the
// test cache does not see; importing the kernel's packages makes a change
// to any of them rerun the tests.
import (
	_ "github.com/limnx/limnx/kernel/acpi"
	_ "github.com/limnx/limnx/kernel/arch"
	_ "github.com/limnx/limnx/kernel/arch/amd64"
	_ "github.com/limnx/limnx/kernel/arch/amd64/boot"
	_ "github.com/limnx/limnx/kernel/bootinfo"
	_ "github.com/limnx/limnx/kernel/csprng"
	_ "github.com/limnx/limnx/kernel/klog"
	_ "github.com/limnx/limnx/kernel/ksym"
	_ "github.com/limnx/limnx/kernel/ktest"
	_ "github.com/limnx/limnx/kernel/mm"
	_ "github.com/limnx/limnx/kernel/runtimehost"
)
