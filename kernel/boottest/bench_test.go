package boottest

import (
	"regexp"
	"strconv"
	"testing"
)

var (
	syscallRE  = regexp.MustCompile(`syscall round trip (\d+) ns`)
	pingpongRE = regexp.MustCompile(`futex ping-pong ([0-9.]+) µs per round trip`)
)

// BenchmarkKernelFigures boots the self-test suite on 2 CPUs and reports
// the figures it measures inside the guest (QEMU TCG): boot-to-banner,
// a runtime-host system-call round trip (getpid) and a futex ping-pong
// between threads pinned to CPUs 0 and 1. Run with -benchtime=1x or more.
func BenchmarkKernelFigures(b *testing.B) {
	for i := 0; i < b.N; i++ {
		res := boot(b, run{smp: 2, mem: "1G", cmdline: "limnx.test=kernel"})
		if m := bannerRE.FindStringSubmatch(res.console); m != nil {
			v, _ := strconv.ParseFloat(m[3], 64)
			b.ReportMetric(v, "boot-ms")
		}
		if m := syscallRE.FindStringSubmatch(res.console); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			b.ReportMetric(v, "syscall-ns")
		}
		if m := pingpongRE.FindStringSubmatch(res.console); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			b.ReportMetric(v, "futex-rtt-µs")
		}
	}
}
