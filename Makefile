# Limnx: `make run` boots the appliance in QEMU; `make test` runs every test.
# Missing Debian packages are installed when run as root; otherwise the
# command to install them is printed.

GO      ?= go
DEBPKGS := qemu-system-x86 qemu-user-static binutils binutils-aarch64-linux-gnu e2fsprogs busybox-static
# Commands whose presence proves the packages above are installed.
DEBCMDS := qemu-system-x86_64 qemu-aarch64-static as aarch64-linux-gnu-as mke2fs /bin/busybox

OUT     := out
export GOFLAGS := -buildvcs=false

.PHONY: all run test deps vet fuzz bench clean

all: deps
	$(GO) build ./...

# deps installs the Debian packages the build and tests use.
deps:
	@missing=""; for c in $(DEBCMDS); do command -v $$c >/dev/null 2>&1 || [ -x $$c ] || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
		echo "deps: missing$$missing"; \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBPKGS) >/dev/null || exit 1; \
		else \
			echo "deps: run as root: apt-get install $(DEBPKGS)"; exit 1; \
		fi; \
	fi

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

# test runs every suite: hosted Go tests (including the QEMU boot tests and
# the GGUF/tokenizer fuzz seed corpora) and the arm64 kernels under
# qemu-aarch64-static. It ends with "N passed, N failed".
test: deps vet
	@mkdir -p $(OUT)
	@$(GO) build -o $(OUT)/testsummary ./cmd/testsummary
	@{ $(GO) test -json -timeout 30m ./... ; \
	   if [ -d kernels/arm64 ]; then GOARCH=arm64 $(GO) test -json -timeout 20m -exec qemu-aarch64-static ./kernels/arm64/... ./ggml/quant/... ; fi ; \
	 } 2>&1 | $(OUT)/testsummary

# Kernel image (owned by the kernel foundation; see kernel/bootimage).
KERNEL_ELF := $(OUT)/kernel.elf
LOADER     := $(OUT)/loader.elf
MODULE     := $(OUT)/limnx.mod
QEMU_SMP   ?= 2
QEMU_MEM   ?= 1G
QEMU_ARGS  ?=
KERNEL_CMDLINE ?=

.PHONY: kernel-image
kernel-image: $(LOADER) $(MODULE)

$(KERNEL_ELF): FORCE
	@mkdir -p $(OUT)
	GOOS=linux GOARCH=amd64 CGO_ENABLED=0 $(GO) build -ldflags "-T -2146430976" -o $@ ./kernel

$(LOADER) $(MODULE) &: $(KERNEL_ELF)
	$(GO) run ./cmd/mkimage -kernel $(KERNEL_ELF) -loader $(LOADER) -module $(MODULE)

.PHONY: FORCE
FORCE:

# run boots the kernel in QEMU (TCG) with the serial console on this terminal.
run: deps kernel-image
	qemu-system-x86_64 -machine pc -cpu max -smp $(QEMU_SMP) -m $(QEMU_MEM) \
		-display none -serial mon:stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-kernel $(LOADER) -initrd $(MODULE) -append "$(KERNEL_CMDLINE)" $(QEMU_ARGS) || true

# bench makes the benchmark models (random weights in Qwen3-0.6B's shape,
# progress on stderr) once under $(OUT)/models and prints tokens/s for each,
# next to llama-bench's figures when llama-bench is on PATH.
BENCH_TYPES   ?= q4_K_M q8_0 f16
BENCH_THREADS ?= 1,2
BENCH_MODELS  := $(foreach t,$(BENCH_TYPES),$(OUT)/models/qwen3-0.6b-$(t).gguf)

$(OUT)/models/qwen3-0.6b-%.gguf:
	@mkdir -p $(dir $@)
	$(GO) run ./models gen -preset qwen3-0.6b -type $* -out $@

bench: $(BENCH_MODELS)
	@for m in $(BENCH_MODELS); do $(GO) run ./bench -m $$m -t $(BENCH_THREADS) -p 512 -n 128 -r 3 || exit 1; done

# fuzz runs every fuzz target for FUZZTIME each (their seed corpora alone
# run in make test).
FUZZTIME    ?= 10m
FUZZTARGETS := ggml/gguf:FuzzParse ggml/tokenizer:FuzzEncode ggml/tokenizer:FuzzDecode \
	ggml/model:FuzzLoad ggml/quant:FuzzDequantize kernels/amd64:FuzzDot \
	kernel/acpi:FuzzReadMADT kernel/bootimage:FuzzModule
fuzz:
	@for t in $(FUZZTARGETS); do \
		echo "fuzz: $${t%%:*} $${t##*:} for $(FUZZTIME)"; \
		(cd $${t%%:*} && $(GO) test -run XXX -fuzz "^$${t##*:}$$" -fuzztime $(FUZZTIME) .) || exit 1; \
	done

clean:
	rm -rf $(OUT)
