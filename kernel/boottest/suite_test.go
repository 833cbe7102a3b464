package boottest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

var summaryRE = regexp.MustCompile(`ktest: (\d+) passed, (\d+) failed`)

// TestKernelSuite boots the kernel self-tests (kernel/ktest) on several
// machine shapes and checks that every test passed and the kernel saw the
// CPUs QEMU gave it.
func TestKernelSuite(t *testing.T) {
	shapes := []struct {
		smp int
		mem string
	}{
		{1, "512M"},
		{2, "4G"},
		{4, "512M"},
	}
	for _, sh := range shapes {
		t.Run(fmt.Sprintf("smp%d-%s", sh.smp, sh.mem), func(t *testing.T) {
			res := boot(t, run{smp: sh.smp, mem: sh.mem, cmdline: "limnx.test=kernel"})
			m := summaryRE.FindStringSubmatch(res.console)
			if m == nil {
				t.Fatalf("no summary line (exit status %d); console:\n%s", res.status, res.console)
			}
			if m[2] != "0" || res.status != 0 {
				t.Errorf("%s, exit status %d; console:\n%s", m[0], res.status, res.console)
			}
			if b := bannerRE.FindStringSubmatch(res.console); b == nil || b[1] != fmt.Sprint(sh.smp) {
				t.Errorf("banner %q, want %d CPUs", b, sh.smp)
			}
			for _, line := range strings.Split(res.console, "\n") {
				if strings.HasPrefix(line, "ktest:") && strings.Contains(line, "  ") && !strings.Contains(line, " ok ") {
					t.Log(line)
				}
			}
		})
	}
}
