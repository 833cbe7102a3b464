package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/limnx/limnx/kernel/runtimehost"
)

// command is one console command.
type command struct {
	name, help string
	run        func(w io.Writer)
}

var commands []command

func init() {
	commands = []command{
		{"help", "list the commands", cmdHelp},
		{"mem", "physical frames and Go heap", cmdMem},
		{"cpus", "per-CPU counters", cmdCPUs},
		{"threads", "kernel threads and goroutines", cmdThreads},
		{"gc", "run a garbage collection", cmdGC},
		{"halt", "stop the machine", func(io.Writer) { os.Exit(0) }},
	}
}

// console serves the serial console until halt: it reads lines from the
// UART (echoing, since the terminal is raw) and runs commands.
func console(in io.Reader, w io.Writer) {
	fmt.Fprint(w, "limnx> ")
	var line []byte
	buf := make([]byte, 64)
	for {
		n, err := in.Read(buf)
		if err != nil {
			fmt.Fprintf(w, "\nconsole: %v\n", err)
			return
		}
		for _, b := range buf[:n] {
			switch b {
			case '\r', '\n':
				fmt.Fprint(w, "\n")
				runLine(w, string(line))
				line = line[:0]
				fmt.Fprint(w, "limnx> ")
			case 0x7f, 0x08:
				if len(line) > 0 {
					line = line[:len(line)-1]
					fmt.Fprint(w, "\b \b")
				}
			default:
				if b >= 0x20 && b < 0x7f {
					line = append(line, b)
					w.Write([]byte{b})
				}
			}
		}
	}
}

func runLine(w io.Writer, line string) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return
	}
	for _, c := range commands {
		if c.name == f[0] {
			c.run(w)
			return
		}
	}
	fmt.Fprintf(w, "unknown command %q (try help)\n", f[0])
}

func cmdHelp(w io.Writer) {
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.help)
	}
}

func cmdMem(w io.Writer) {
	s := runtimehost.ReadStats()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(w, "frames: %d KiB used of %d MiB\n", s.FramesUsed*4, s.Frames*4096>>20)
	fmt.Fprintf(w, "go heap: %d MiB in use, %d MiB from the system, %d GCs\n", ms.HeapAlloc>>20, ms.Sys>>20, ms.NumGC)
}

func cmdCPUs(w io.Writer) {
	for _, c := range runtimehost.ReadCPUStats() {
		state := "busy"
		if c.Idle {
			state = "idle"
		}
		fmt.Fprintf(w, "  cpu%d apic %d %s: %d syscalls, %d traps, %d IPIs\n", c.ID, c.APICID, state, c.Syscalls, c.Traps, c.IPIs)
	}
}

func cmdThreads(w io.Writer) {
	ts := runtimehost.ReadThreads()
	fmt.Fprintf(w, "%d kernel threads (the runtime's Ms), %d goroutines\n", len(ts), runtime.NumGoroutine())
	for _, t := range ts {
		pin := ""
		if t.Affinity != 0 {
			pin = fmt.Sprintf(" pinned %#x", t.Affinity)
		}
		fmt.Fprintf(w, "  tid %-3d %-12s cpu%d%s\n", t.TID, t.State, t.CPU, pin)
	}
}

func cmdGC(w io.Writer) {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	runtime.GC()
	runtime.ReadMemStats(&b)
	fmt.Fprintf(w, "heap %d KiB -> %d KiB\n", a.HeapAlloc>>10, b.HeapAlloc>>10)
}
