package arm64

import "testing"

// TestSDOTCovered makes a run that leaves the SDOT path untested say so.
// The kernel tests run the SDOT path only where the CPU has the
// dot-product extension (qemu-aarch64's default CPU does; QEMU_CPU=cortex-a53
// does not), so without it this test is skipped, or fails when CI is set.
// With it, SetSDOT (which the tests use to run both paths) must switch
// between them.
func TestSDOTCovered(t *testing.T) {
	if !HasDotProd {
		skipUnlessCI(t, "CPU without the dot-product extension (asimddp): the kernels' SDOT path is not tested")
	}
	restore := SetSDOT(false)
	if useSDOT {
		t.Error("SetSDOT(false) left the SDOT path on")
	}
	restore()
	restore = SetSDOT(true)
	if !useSDOT {
		t.Error("SetSDOT(true) did not turn the SDOT path on")
	}
	restore()
}
