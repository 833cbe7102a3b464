//go:build !arm64

package arm64

import (
	"os/exec"
	"testing"
)

// TestWordEncodings checks, on the (x86) build host, that every WORD in
// the .s files encodes the instruction in its comment, using GNU as for
// aarch64 (Debian package binutils-aarch64-linux-gnu). Without that
// assembler it is skipped, or fails when CI is set.
func TestWordEncodings(t *testing.T) {
	if _, err := exec.LookPath("aarch64-linux-gnu-as"); err != nil {
		skipUnlessCI(t, "aarch64-linux-gnu-as not installed (apt-get install binutils-aarch64-linux-gnu)")
	}
	out, err := exec.Command(goTool(t), "run", "wordenc.go").CombinedOutput()
	if err != nil {
		t.Fatalf("wordenc: %v\n%s", err, out)
	}
}

// goTool returns the go command's path (go test puts it on PATH).
func goTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		skipUnlessCI(t, "go tool not on PATH")
	}
	return p
}
