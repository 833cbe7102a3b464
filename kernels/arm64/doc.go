// Package arm64 holds the NEON (ASIMD) dot-product kernels for ggml's block
// formats: one weight row x one activation row, []byte blocks in, float32
// out, written in Go assembly for GOARCH=arm64.
//
// Every kernel has the signature func(n int, w, act []byte) float32: n
// elements, w in the weight type, act in ggml's VecDotType for it (Q8_0
// for Q4_0/Q5_0/Q8_0, Q8_1 for Q4_1/Q5_1, Q8_K for Q2_K..Q6_K, and F16,
// BF16, F32 for themselves). The integer kernels use SDOT (the ARMv8.2
// dot-product extension) when the CPU has it and SMULL/SADALP otherwise;
// HasDotProd reports which. Both paths give the same integer block sums,
// so their results are identical.
//
// Integer sums are exact. The float scaling of Q4_0, Q4_1, Q5_0, Q5_1,
// Q8_0 and Q2_K follows ggml's generic code operation by operation, so
// those kernels give the same bits as ggml/quant's RefVecDot (the oracle);
// Q3_K..Q6_K and the float formats sum in another order, within a few
// float32 ulps of the sum of the absolute terms.
//
// Kernels lists one row per weight type (Dot, DotRows, and DotTokens for
// one weight row against several tokens, with four-token assembly for
// Q8_0, Q4_K and Q6_K); LookupQuantizer gives the activation quantizers
// (Q8_0, Q8_1, Q8_K), byte-identical to ggml/quant's QuantizeActivation.
// ggml/quant installs all of them at start-up (see its KernelInfo).
//
// On other architectures the package is empty. The kernels are tested on
// x86 hosts under qemu-user (GOARCH=arm64 go test -exec
// qemu-aarch64-static ./kernels/arm64/; QEMU_CPU=cortex-a53 gives a CPU
// without SDOT). The .s files are written by asmgen.go from templates
// (go generate; TestAsmGenerated checks they are current); wordenc.go
// encodes the instructions Go's assembler has no mnemonic for and checks
// them with GNU as (TestWordEncodings on the host).
package arm64

//go:generate go run asmgen.go
//go:generate go run wordenc.go -w
