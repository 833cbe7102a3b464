// Command models writes GGUF models from a spec (deterministic random weights,
// a real vocabulary copied from another GGUF) and converts GGUF files between
// weight types.
//
//	go run ./models gen -preset qwen3-0.6b -type q4_K_M -out /tmp/qwen3-0.6b-q4_k_m.gguf
//	go run ./models gen -arch qwen2 -n-embd 256 -n-layer 2 -n-ff 768 -n-head 4 -n-head-kv 2 -type q8_0 -out small.gguf
//	go run ./models convert -in model.gguf -out model-q8_0.gguf -type q8_0
//	go run ./models info model.gguf
//	go run ./models presets
//
// Weights are N(0, 0.02²) from a seeded generator (the same bytes on every
// machine and for any -threads), norm weights 1.0. A single -type gives every
// matrix that type (as llama-quantize --pure); q4_K_M is llama.cpp's mix.
// Vocabulary paths are relative to the working directory (the module root
// for `go run ./models`).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

const usage = `usage: models <command> [flags]
commands:
  gen      write a model from a preset and/or flags (gen -h lists them)
  convert  -in X.gguf -out Y.gguf -type T: convert weights to another type or mix
  vocab    -hf DIR -pre NAME -out V.gguf: a vocabulary-only GGUF from a tokenizer.json
  info     FILE.gguf: print metadata and tensors
  presets  list the named specs
types: ` + mixNames

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "gen":
		return runGen(args[1:], stdout, stderr)
	case "convert":
		fs := flag.NewFlagSet("convert", flag.ContinueOnError)
		fs.SetOutput(stderr)
		in := fs.String("in", "", "input GGUF")
		out := fs.String("out", "", "output GGUF")
		typ := fs.String("type", "", "weight type or mix: "+mixNames)
		threads := fs.Int("threads", 0, "goroutines (0: one per CPU)")
		quiet := fs.Bool("q", false, "no progress line")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *in == "" || *out == "" || *typ == "" || fs.NArg() > 0 {
			return fmt.Errorf("usage: models convert -in X.gguf -out Y.gguf -type T")
		}
		return convert(*in, *out, *typ, *threads, progressOut(*quiet, stderr))
	case "vocab":
		fs := flag.NewFlagSet("vocab", flag.ContinueOnError)
		fs.SetOutput(stderr)
		hf := fs.String("hf", "", "directory with a Hugging Face tokenizer.json (and tokenizer_config.json)")
		pre := fs.String("pre", "", "tokenizer.ggml.pre: llama-bpe (Llama 3), qwen2 (Qwen2/3), ...")
		arch := fs.String("arch", "llama", "general.architecture")
		name := fs.String("name", "vocab", "general.name")
		nVocab := fs.Int("n-vocab", 0, "pad the vocabulary to this many tokens (the model's vocab_size)")
		out := fs.String("out", "", "output GGUF (vocabulary only, no tensors)")
		ids := map[string]*int{}
		for _, k := range []string{"bos", "eos", "unknown", "padding"} {
			ids[k] = fs.Int(k, -1, k+" token id, overriding tokenizer_config.json (-1: from it)")
		}
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *hf == "" || *pre == "" || *out == "" || fs.NArg() > 0 {
			return fmt.Errorf("usage: models vocab -hf DIR -pre NAME [-arch A] [-name N] [-n-vocab N] -out FILE.gguf")
		}
		given := map[string]int{}
		for k, v := range ids {
			if *v >= 0 {
				given[k] = *v
			}
		}
		kvs, err := vocabFromHF(*hf, *pre, *nVocab, given)
		if err != nil {
			return err
		}
		if err := writeVocab(*out, *arch, *name, kvs); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *out)
		return nil
	case "info":
		if len(args) != 2 {
			return fmt.Errorf("usage: models info FILE.gguf")
		}
		return info(stdout, args[1])
	case "presets":
		for _, name := range presetNames() {
			s := presets[name]
			fmt.Fprintf(stdout, "%-14s %s n_embd %d n_layer %d n_ff %d heads %d/%d head_dim %d ctx %d rope %g tied %v type %s vocab %s\n",
				name, s.Arch, s.NEmbd, s.NLayer, s.NFF, s.NHead, s.NHeadKV, s.headDim(), s.ContextLength, s.RopeBase, s.Tied, s.Type, s.Vocab)
		}
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("models: unknown command %q\n%s", args[0], usage)
}

func progressOut(quiet bool, stderr io.Writer) io.Writer {
	if quiet {
		return nil
	}
	return stderr
}

// runGen parses gen's flags: a preset, then any flag given overrides it.
func runGen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	preset := fs.String("preset", "", "named spec: "+strings.Join(presetNames(), ", "))
	out := fs.String("out", "", "output GGUF")
	threads := fs.Int("threads", 0, "goroutines (0: one per CPU)")
	quiet := fs.Bool("q", false, "no progress line")
	var s Spec
	fs.StringVar(&s.Arch, "arch", "qwen3", "architecture: llama, qwen2, qwen3")
	fs.StringVar(&s.Name, "name", "", "general.name (default: <arch>-random)")
	fs.IntVar(&s.NEmbd, "n-embd", 256, "embedding width")
	fs.IntVar(&s.NLayer, "n-layer", 2, "blocks")
	fs.IntVar(&s.NFF, "n-ff", 768, "feed-forward width")
	fs.IntVar(&s.NHead, "n-head", 4, "query heads")
	fs.IntVar(&s.NHeadKV, "n-head-kv", 2, "key/value heads")
	fs.IntVar(&s.HeadDim, "head-dim", 0, "per-head width (0: n_embd/n_head)")
	fs.IntVar(&s.ContextLength, "ctx", 4096, "context length")
	fs.Float64Var(&s.RopeBase, "rope-base", 10000, "rope frequency base")
	fs.Float64Var(&s.RMSEps, "rms-eps", 1e-6, "RMS norm epsilon")
	fs.BoolVar(&s.Tied, "tied", false, "tied embeddings (no output.weight)")
	fs.Uint64Var(&s.Seed, "seed", 1, "weight seed")
	fs.StringVar(&s.Type, "type", "f32", "weight type or mix: "+mixNames)
	fs.StringVar(&s.Vocab, "vocab", "testdata/golden/vocab-qwen3.gguf", "GGUF whose tokenizer.* metadata is copied")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("usage: models gen [-preset NAME] [flags] -out FILE.gguf")
	}
	if *preset != "" {
		p, ok := presets[*preset]
		if !ok {
			return fmt.Errorf("models: unknown preset %q: want one of %s", *preset, strings.Join(presetNames(), ", "))
		}
		// Flags given on the command line override the preset.
		given := s
		s = p
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "arch":
				s.Arch = given.Arch
			case "name":
				s.Name = given.Name
			case "n-embd":
				s.NEmbd = given.NEmbd
			case "n-layer":
				s.NLayer = given.NLayer
			case "n-ff":
				s.NFF = given.NFF
			case "n-head":
				s.NHead = given.NHead
			case "n-head-kv":
				s.NHeadKV = given.NHeadKV
			case "head-dim":
				s.HeadDim = given.HeadDim
			case "ctx":
				s.ContextLength = given.ContextLength
			case "rope-base":
				s.RopeBase = given.RopeBase
			case "rms-eps":
				s.RMSEps = given.RMSEps
			case "tied":
				s.Tied = given.Tied
			case "seed":
				s.Seed = given.Seed
			case "type":
				s.Type = given.Type
			case "vocab":
				s.Vocab = given.Vocab
			}
		})
	}
	if s.Name == "" {
		s.Name = s.Arch + "-random"
	}
	if err := generate(s, *out, *threads, progressOut(*quiet, stderr)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}
