//go:build ignore

// Wordenc fills in and checks the WORD-encoded NEON instructions of this
// package's .s files. Go's arm64 assembler has no mnemonic for many NEON
// instructions (SDOT, SMULL, SADALP, FCVTL, SCVTF vector, ...), so the
// kernels spell them as
//
//	WORD $0x4e849410 // sdot v16.4s, v0.16b, v4.16b
//
// Wordenc assembles every such comment with GNU as for aarch64
// (Debian package binutils-aarch64-linux-gnu) and compares the result
// with the hex word. Usage, from kernels/arm64:
//
//	go run wordenc.go        # report mismatches, exit 1 if any
//	go run wordenc.go -w     # rewrite the hex words from the comments
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

var wordRE = regexp.MustCompile(`WORD\s+\$0x([0-9a-fA-F]+)\s*//\s*(.+?)\s*$`)

func main() {
	write := flag.Bool("w", false, "rewrite hex words from the instruction comments")
	flag.Parse()
	files, _ := filepath.Glob("*_arm64.s")
	tmp, err := os.MkdirTemp("", "wordenc")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(tmp)
	bad := 0
	for _, f := range files {
		n, err := process(f, tmp, *write)
		if err != nil {
			fatal(err)
		}
		bad += n
	}
	if bad > 0 && !*write {
		fmt.Printf("wordenc: %d mismatched words\n", bad)
		os.Exit(1)
	}
}

func process(file, tmp string, write bool) (int, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	lines := strings.Split(string(src), "\n")
	var idx []int
	var insns []string
	for i, l := range lines {
		if m := wordRE.FindStringSubmatch(l); m != nil {
			idx = append(idx, i)
			insns = append(insns, m[2])
		}
	}
	if len(insns) == 0 {
		return 0, nil
	}
	words, err := assemble(insns, tmp)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", file, err)
	}
	bad := 0
	for k, i := range idx {
		m := wordRE.FindStringSubmatchIndex(lines[i])
		old, _ := strconv.ParseUint(lines[i][m[2]:m[3]], 16, 32)
		if uint32(old) == words[k] {
			continue
		}
		bad++
		if !write {
			fmt.Printf("%s:%d: WORD $0x%08x but %q is 0x%08x\n", file, i+1, old, insns[k], words[k])
			continue
		}
		lines[i] = lines[i][:m[2]] + fmt.Sprintf("%08x", words[k]) + lines[i][m[3]:]
	}
	if write && bad > 0 {
		fmt.Printf("%s: rewrote %d words\n", file, bad)
		return bad, os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
	}
	return bad, nil
}

// assemble returns the encoding of each instruction, in order.
func assemble(insns []string, tmp string) ([]uint32, error) {
	s := filepath.Join(tmp, "in.s")
	o := filepath.Join(tmp, "in.o")
	var b bytes.Buffer
	for _, in := range insns {
		b.WriteString(in + "\n")
	}
	if err := os.WriteFile(s, b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	out, err := exec.Command("aarch64-linux-gnu-as", "-march=armv8.2-a+dotprod+fp16+bf16", s, "-o", o).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("as: %v\n%s", err, out)
	}
	out, err = exec.Command("aarch64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", o, filepath.Join(tmp, "in.bin")).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("objcopy: %v\n%s", err, out)
	}
	bin, err := os.ReadFile(filepath.Join(tmp, "in.bin"))
	if err != nil {
		return nil, err
	}
	if len(bin) != 4*len(insns) {
		return nil, fmt.Errorf("as produced %d bytes for %d instructions", len(bin), len(insns))
	}
	words := make([]uint32, len(insns))
	for i := range words {
		words[i] = binary.LittleEndian.Uint32(bin[4*i:])
	}
	return words, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "wordenc:", err)
	os.Exit(1)
}
