// Package ktest is the in-kernel test runner: it runs the kernel's
// self-tests when the command line says limnx.test=kernel, printing one line
// per test and a closing "N passed, N failed".
package ktest

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// T is handed to a test to report failures and notes.
type T struct {
	name   string
	failed bool
	msgs   []string
	notes  []string
}

// Errorf records a failure and continues.
func (t *T) Errorf(format string, args ...any) {
	t.failed = true
	t.msgs = append(t.msgs, fmt.Sprintf(format, args...))
}

// Fatalf records a failure and ends the test.
func (t *T) Fatalf(format string, args ...any) {
	t.Errorf(format, args...)
	panic(fatal{})
}

// Logf records a note printed after the test's result (measurements).
func (t *T) Logf(format string, args ...any) {
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

type fatal struct{}

// Test is one self-test.
type Test struct {
	Name string
	Fn   func(t *T)
}

// Run runs tests in order, writing results to w, and returns how many
// passed and failed. A test that panics fails; the others still run.
func Run(w io.Writer, tests []Test) (passed, failed int) {
	for _, tc := range tests {
		t := &T{name: tc.Name}
		start := time.Now()
		runOne(t, tc.Fn)
		d := time.Since(start)
		if t.failed {
			failed++
			fmt.Fprintf(w, "ktest: %-14s FAIL (%d ms): %s\n", tc.Name, d.Milliseconds(), strings.Join(t.msgs, "; "))
		} else {
			passed++
			fmt.Fprintf(w, "ktest: %-14s ok   (%d ms)\n", tc.Name, d.Milliseconds())
		}
		for _, n := range t.notes {
			fmt.Fprintf(w, "ktest: %-14s   %s\n", tc.Name, n)
		}
	}
	fmt.Fprintf(w, "ktest: %d passed, %d failed\n", passed, failed)
	return passed, failed
}

func runOne(t *T, fn func(*T)) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(fatal); !ok {
				t.Errorf("panic: %v", r)
			}
		}
	}()
	fn(t)
}
