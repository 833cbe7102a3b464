//go:build !arm64

package arm64

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// wordHex matches the encoding of a WORD line, which asmgen.go writes as
// zero and wordenc.go fills in (TestWordEncodings checks it).
var wordHex = regexp.MustCompile(`WORD \$0x[0-9a-f]{8} //`)

// TestAsmGenerated checks, on the build host, that the .s files are
// exactly what asmgen.go writes, WORD encodings aside, and that it writes
// no file that is missing here.
func TestAsmGenerated(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command(goTool(t), "run", "asmgen.go", "-o", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("go run asmgen.go: %v\n%s", err, out)
	}
	gen, err := filepath.Glob(filepath.Join(dir, "*.s"))
	if err != nil || len(gen) == 0 {
		t.Fatalf("asmgen.go wrote no .s files (%v)", err)
	}
	have, _ := filepath.Glob("*_arm64.s")
	var names []string
	for _, g := range gen {
		name := filepath.Base(g)
		names = append(names, name)
		want, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: asmgen.go writes it, but: %v", name, err)
			continue
		}
		got = wordHex.ReplaceAllLiteral(got, []byte("WORD $0x00000000 //"))
		if string(got) != string(want) {
			t.Errorf("%s differs from what asmgen.go writes: run go generate ./kernels/arm64/", name)
		}
	}
	for _, h := range have {
		if !slices.Contains(names, h) {
			t.Errorf("%s: not written by asmgen.go", h)
		}
	}
}
