//go:build !arm64

package arm64

import (
	"os/exec"
	"testing"
)

// TestWordEncodings checks, on the (x86) build host, that every WORD in
// the .s files encodes the instruction in its comment, using GNU as for
// aarch64 (Debian package binutils-aarch64-linux-gnu). It is skipped when
// that assembler is not installed.
func TestWordEncodings(t *testing.T) {
	if _, err := exec.LookPath("aarch64-linux-gnu-as"); err != nil {
		t.Skip("aarch64-linux-gnu-as not installed (apt-get install binutils-aarch64-linux-gnu)")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	out, err := exec.Command(goTool, "run", "wordenc.go").CombinedOutput()
	if err != nil {
		t.Fatalf("wordenc: %v\n%s", err, out)
	}
}
