// Package boottest builds the kernel image and boots it in QEMU (TCG),
// asserting on what the kernel prints on the serial console.
package boottest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/limnx/limnx/kernel/bootimage"
)

var (
	loaderPath    string
	modulePath    string
	modIrdPath    string // the module with testInitramfs appended
	testInitramfs = bytes.Repeat([]byte("limnx initramfs test data\n"), 1000)
	buildErr      error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "limnx-boottest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildErr = build(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build makes the loader and the module from the kernel at the module root.
func build(dir string) error {
	for _, tool := range []string{"qemu-system-x86_64", "as", "ld"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not installed (make deps installs it): %w", tool, err)
		}
	}
	kernel := filepath.Join(dir, "kernel.elf")
	if err := bootimage.BuildKernel("../..", "./kernel", kernel); err != nil {
		return err
	}
	k, err := os.ReadFile(kernel)
	if err != nil {
		return err
	}
	mod, err := bootimage.Module(k, nil)
	if err != nil {
		return err
	}
	modulePath = filepath.Join(dir, "limnx.mod")
	if err := os.WriteFile(modulePath, mod, 0o644); err != nil {
		return err
	}
	modIrd, err := bootimage.Module(k, testInitramfs)
	if err != nil {
		return err
	}
	modIrdPath = filepath.Join(dir, "limnx-initramfs.mod")
	if err := os.WriteFile(modIrdPath, modIrd, 0o644); err != nil {
		return err
	}
	loaderPath = filepath.Join(dir, "loader.elf")
	return bootimage.BuildLoader(dir, loaderPath)
}

// run describes one boot.
type run struct {
	smp       int
	mem       string
	cmdline   string
	timeout   time.Duration
	initramfs bool // boot the module that carries testInitramfs
}

// result is what a boot printed and how QEMU exited. Status is the guest's
// exit code (isa-debug-exit gives QEMU status code*2+1), or -1 if QEMU
// exited some other way (triple fault, timeout).
type result struct {
	console string
	status  int
	elapsed time.Duration
}

func boot(t testing.TB, r run) result {
	t.Helper()
	return bootWithInput(t, r, "")
}

// bootWithInput boots like boot and types input on the serial line once
// the console prompt appears.
func bootWithInput(t testing.TB, r run, input string) result {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("building the image: %v", buildErr)
	}
	if r.timeout == 0 {
		r.timeout = 90 * time.Second // generous: TCG on a loaded 2-core host
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	args := []string{
		"-machine", "pc", "-cpu", "max", "-m", r.mem, "-smp", fmt.Sprint(r.smp),
		"-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=4",
		"-kernel", loaderPath, "-initrd", modulePath, "-append", r.cmdline,
	}
	if r.initramfs {
		args[len(args)-3] = modIrdPath
	}
	cmd := exec.CommandContext(ctx, "qemu-system-x86_64", args...)
	var out syncBuffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if input != "" {
		pr, pw := io.Pipe()
		cmd.Stdin = pr
		go func() {
			for !strings.Contains(out.String(), "limnx> ") && ctx.Err() == nil {
				time.Sleep(20 * time.Millisecond)
			}
			pw.Write([]byte(input))
			pw.Close() // exec waits for the copy to QEMU's stdin to end
		}()
	}
	start := time.Now()
	err := cmd.Run()
	res := result{console: strings.ReplaceAll(out.String(), "\r\n", "\n"), status: -1, elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Logf("console:\n%s", res.console)
		t.Fatalf("QEMU did not exit within %v", r.timeout)
	case err == nil:
		// status 0: reset or shutdown, not isa-debug-exit
	case errors.As(err, &ee) && ee.ExitCode()%2 == 1:
		res.status = ee.ExitCode() / 2
	default:
		t.Logf("console:\n%s", res.console)
		t.Fatalf("QEMU: %v", err)
	}
	return res
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var bannerRE = regexp.MustCompile(`Limnx: (\d+) CPUs, (\d+) MiB RAM, boot (\d+) ms`)

func TestBootBanner(t *testing.T) {
	res := boot(t, run{smp: 1, mem: "512M", cmdline: "limnx.test=banner"})
	if res.status != 0 {
		t.Fatalf("exit status %d, want 0; console:\n%s", res.status, res.console)
	}
	m := bannerRE.FindStringSubmatch(res.console)
	if m == nil {
		t.Fatalf("no banner; console:\n%s", res.console)
	}
	if m[1] != "1" {
		t.Errorf("banner reports %s CPUs, want 1", m[1])
	}
	if !strings.Contains(res.console, `cmdline: "limnx.test=banner"`) {
		t.Errorf("command line not echoed; console:\n%s", res.console)
	}
	if strings.Contains(res.console, "unknown system call") {
		t.Errorf("the runtime made a call the host does not know; console:\n%s", res.console)
	}
	t.Logf("%s (QEMU ran %v)", m[0], res.elapsed.Round(time.Millisecond))
}

// TestInitramfsReachesGo boots a module with an initramfs appended and
// checks that the kernel sees exactly those bytes.
func TestInitramfsReachesGo(t *testing.T) {
	res := boot(t, run{smp: 1, mem: "512M", cmdline: "limnx.test=banner", initramfs: true})
	want := fmt.Sprintf("initramfs: %d bytes, sha256 %x", len(testInitramfs), sha256.Sum256(testInitramfs))
	if !strings.Contains(res.console, want) {
		t.Errorf("console lacks %q; console:\n%s", want, res.console)
	}
}
