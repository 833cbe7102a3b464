package boottest

import (
	"strings"
	"testing"
)

// TestKernelPanic checks that a kernel panic prints its message and every
// goroutine's stack and stops the machine with a non-zero status.
func TestKernelPanic(t *testing.T) {
	res := boot(t, run{smp: 2, mem: "512M", cmdline: "limnx.test=panic"})
	for _, want := range []string{
		"panic: deliberate kernel panic (limnx.test=panic)",
		"goroutine 1 [running]:",
		"main.main()",
		"main.main.func1()", // the second goroutine: traceback=all
	} {
		if !strings.Contains(res.console, want) {
			t.Errorf("console lacks %q", want)
		}
	}
	if res.status == 0 || res.status == -1 {
		t.Errorf("exit status %d, want the runtime's non-zero exit through isa-debug-exit", res.status)
	}
	if t.Failed() {
		t.Logf("console:\n%s", res.console)
	}
}

// TestConsole types commands on the serial line and checks the answers.
func TestConsole(t *testing.T) {
	res := bootWithInput(t, run{smp: 2, mem: "512M"}, "help\rcpus\rmem\rthreads\rbogus\rhalt\r")
	for _, want := range []string{
		"limnx> help",
		"threads  kernel threads and goroutines",
		"cpu1 apic 1",
		"frames: ",
		" running ", // the thread printing the list
		`unknown command "bogus"`,
		"limnx: exit status 0",
	} {
		if !strings.Contains(res.console, want) {
			t.Errorf("console lacks %q", want)
		}
	}
	if res.status != 0 {
		t.Errorf("exit status %d after halt, want 0", res.status)
	}
	if t.Failed() {
		t.Logf("console:\n%s", res.console)
	}
}

// TestHostFaultReport makes the runtime host fault and checks the report:
// vector, error code, CR2, symbolized RIP and a backtrace, then a stop
// with QEMU status 255.
func TestHostFaultReport(t *testing.T) {
	res := boot(t, run{smp: 2, mem: "512M", cmdline: "limnx.test=hostfault"})
	for _, want := range []string{
		"fatal exception 14 (page fault) in the runtime host",
		"CR2 0xffffe00000002000",
		"runtimehost.debugFault+0x",
		"backtrace:",
		"runtimehost.hostMain+0x",
		"RIP=",
	} {
		if !strings.Contains(res.console, want) {
			t.Errorf("console lacks %q", want)
		}
	}
	if res.status != 0x7f {
		t.Errorf("exit status %d, want 127 (QEMU 255)", res.status)
	}
	if t.Failed() {
		t.Logf("console:\n%s", res.console)
	}
}
