// Command testsummary reads `go test -json` output on stdin, prints each
// failing test's output and the package results, and ends with the line
// "N passed, N failed" that every Limnx suite closes with. It exits 1 when
// any test or package failed (a build failure counts as a failed package).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// event is one line of test2json output.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	var passed, failed, skipped int
	outputs := map[string]*strings.Builder{} // package/test -> output, kept until it passes
	var failedNames []string
	pkgFailed := map[string]bool{}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if err := json.Unmarshal(line, &ev); err != nil || ev.Action == "" {
			// Build errors and other non-JSON lines go straight through.
			fmt.Println(string(line))
			continue
		}
		key := ev.Package + " " + ev.Test
		switch ev.Action {
		case "output":
			b := outputs[key]
			if b == nil {
				b = &strings.Builder{}
				outputs[key] = b
			}
			b.WriteString(ev.Output)
		case "pass", "fail", "skip":
			if ev.Test == "" {
				// Package-level result.
				switch ev.Action {
				case "fail":
					pkgFailed[ev.Package] = true
					fmt.Printf("FAIL %s (%.1fs)\n", ev.Package, ev.Elapsed)
					if b := outputs[key]; b != nil {
						fmt.Print(indent(b.String()))
					}
				case "pass":
					fmt.Printf("ok   %s (%.1fs)\n", ev.Package, ev.Elapsed)
				}
				delete(outputs, key)
				continue
			}
			if strings.Contains(ev.Test, "/") {
				// Subtests are counted through their parents' output only
				// when they fail; the parent decides pass/fail.
				if ev.Action == "fail" {
					if b := outputs[key]; b != nil {
						fmt.Print(indent(b.String()))
					}
				}
				delete(outputs, key)
				continue
			}
			switch ev.Action {
			case "pass":
				passed++
			case "skip":
				skipped++
			case "fail":
				failed++
				failedNames = append(failedNames, key)
				if b := outputs[key]; b != nil {
					fmt.Print(indent(b.String()))
				}
			}
			delete(outputs, key)
		}
	}
	sort.Strings(failedNames)
	for _, n := range failedNames {
		fmt.Println("--- FAIL:", n)
	}
	var pkgs []string
	for p := range pkgFailed {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		fmt.Println("package failed:", p)
	}
	fmt.Printf("total: %d passed, %d failed, %d skipped\n", passed, failed+len(pkgs), skipped)
	if failed > 0 || len(pkgs) > 0 {
		os.Exit(1)
	}
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString("    " + l)
		}
	}
	return b.String()
}
