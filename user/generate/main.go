// Command generate runs a GGUF model (llama, qwen2, qwen3) on a prompt and
// prints the continuation as it is generated.
//
//	generate -m MODEL.gguf -p "PROMPT" -n 32 --temp 0
//	generate -m MODEL.gguf -p "PROMPT" --tokens      # prompt ids, then generated ids
//	generate -m VOCAB.gguf -p "PROMPT" --tokenize    # prompt ids only (vocab-only files work)
//	generate -m MODEL.gguf                           # interactive: one prompt per line
//
// BOS is added as the model's metadata says unless --no-bos is given, and
// special-token text (<|im_start|>) is parsed as the special token unless
// --no-parse-special is given. Generation stops after -n tokens or at an
// end-of-generation token (unless --ignore-eos). Sampling: --temp (0 is
// greedy) --top-k --top-p --min-p --repeat-penalty --repeat-last-n --seed,
// with llama.cpp's defaults; --threads sets the matmul goroutines;
// --kv-type the KV cache's element type (f16 by default, as llama.cpp;
// f32 gives its reference runs' precision). The
// fastest dot-product kernels the CPU runs are chosen at start-up
// (LIMNX_KERNELS=go in the environment forces the Go reference kernels);
// -v prints that choice on stderr. Errors print one line and exit with
// status 1.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/model"
	"github.com/limnx/limnx/ggml/ops"
	"github.com/limnx/limnx/ggml/quant"
	"github.com/limnx/limnx/ggml/sample"
	"github.com/limnx/limnx/ggml/tokenizer"
)

// options are the command-line flags.
type options struct {
	model          string
	prompt         string
	havePrompt     bool
	nPredict       int
	nCtx           int
	threads        int
	kvType         quant.Type
	noMmap         bool
	tokens         bool
	ignoreEOS      bool
	verbose        bool
	tokenize       bool
	noBOS          bool
	noParseSpecial bool
	params         sample.Params
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status. A panic
// anywhere below is turned into one error line and status 2.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "generate: internal error: %v\n", r)
			status = 2
		}
	}()
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "generate: %v\n", err)
		return 1
	}
	if err := generate(o, stdin, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "generate: %v\n", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by run
	var temp, topP, minP, repeat float64
	var seed int64
	fs.StringVar(&o.model, "m", "", "GGUF model `file`")
	fs.StringVar(&o.prompt, "p", "", "prompt `text` (without it: interactive prompt> loop on stdin)")
	fs.IntVar(&o.nPredict, "n", 32, "number of tokens to generate")
	fs.IntVar(&o.nCtx, "ctx", 0, "context size in tokens (0: prompt + n, or 2048 interactive; at most the model's)")
	fs.IntVar(&o.threads, "threads", 0, "matmul goroutines (0: one per CPU)")
	kvType := fs.String("kv-type", "f16", "KV cache element type: f16 (half the memory) or f32 (llama.cpp's reference precision)")
	fs.BoolVar(&o.noMmap, "no-mmap", false, "copy the model into 2 MiB pages instead of mapping the file (faster decoding, a second copy in memory)")
	fs.BoolVar(&o.tokens, "tokens", false, "print the prompt's ids on one line and the generated ids on the next")
	fs.BoolVar(&o.verbose, "v", false, "print the dot-product kernels in use on stderr (LIMNX_KERNELS=go forces the Go ones)")
	fs.BoolVar(&o.ignoreEOS, "ignore-eos", false, "keep generating after an end-of-generation token")
	fs.BoolVar(&o.tokenize, "tokenize", false, "print only the prompt's ids (works on a vocab-only file)")
	fs.BoolVar(&o.noBOS, "no-bos", false, "do not add BOS even if the model's metadata asks for it")
	fs.BoolVar(&o.noParseSpecial, "no-parse-special", false, "treat special-token text as plain text")
	fs.Float64Var(&temp, "temp", 0.8, "temperature (0: greedy)")
	fs.IntVar(&o.params.TopK, "top-k", 40, "top-k (0: off)")
	fs.Float64Var(&topP, "top-p", 0.95, "top-p (1: off)")
	fs.Float64Var(&minP, "min-p", 0.05, "min-p (0: off)")
	fs.Float64Var(&repeat, "repeat-penalty", 1, "repetition penalty (1: off)")
	fs.IntVar(&o.params.RepeatLastN, "repeat-last-n", 64, "tokens the repetition penalty looks back over")
	fs.Int64Var(&seed, "seed", -1, "random seed (-1: from the clock)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: generate -m MODEL.gguf [-p PROMPT] [flags]")
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "p" {
			o.havePrompt = true
		}
	})
	switch {
	case o.model == "":
		return nil, errors.New("no model: give -m MODEL.gguf")
	case o.nPredict < 0:
		return nil, fmt.Errorf("-n %d: must be >= 0", o.nPredict)
	case o.nCtx < 0:
		return nil, fmt.Errorf("--ctx %d: must be >= 0", o.nCtx)
	case o.tokenize && !o.havePrompt:
		return nil, errors.New("--tokenize needs -p PROMPT")
	case *kvType != "f16" && *kvType != "f32":
		return nil, fmt.Errorf("--kv-type %q: want f16 or f32", *kvType)
	}
	o.kvType, _ = quant.ParseType(*kvType)
	o.params.Temp = float32(temp)
	o.params.TopP = float32(topP)
	o.params.MinP = float32(minP)
	o.params.RepeatPenalty = float32(repeat)
	if seed < 0 {
		seed = time.Now().UnixNano()
	}
	o.params.Seed = uint64(seed)
	return o, nil
}

func generate(o *options, stdin io.Reader, stdout, stderr io.Writer) error {
	if o.verbose {
		fmt.Fprintln(stderr, quant.KernelInfo())
		fmt.Fprintln(stderr, ops.KernelInfo())
	}
	open := gguf.Open
	if o.noMmap {
		open = gguf.OpenHugePages
	}
	f, err := open(o.model)
	if err != nil {
		return err
	}
	defer f.Close()
	tok, err := tokenizer.FromGGUF(f)
	if err != nil {
		return fmt.Errorf("%s: %w", o.model, err)
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	if o.tokenize {
		writeIDs(out, tok.Encode(o.prompt, !o.noBOS, !o.noParseSpecial))
		return nil
	}
	m, err := model.Load(f)
	if err != nil {
		return fmt.Errorf("%s: %w", o.model, err)
	}

	if o.havePrompt {
		ids := tok.Encode(o.prompt, !o.noBOS, !o.noParseSpecial)
		nCtx := o.nCtx
		if nCtx == 0 {
			nCtx = len(ids) + o.nPredict
		}
		s, err := newState(m, nCtx, o.threads, o.kvType)
		if err != nil {
			return err
		}
		return complete(o, m, s, tok, ids, out)
	}

	// Interactive: each line is a new prompt in a fresh context; an error
	// for one prompt is reported and the loop goes on.
	nCtx := o.nCtx
	if nCtx == 0 {
		nCtx = 2048
		if m.Config.NCtxTrain > 0 && m.Config.NCtxTrain < nCtx {
			nCtx = m.Config.NCtxTrain
		}
	}
	s, err := newState(m, nCtx, o.threads, o.kvType)
	if err != nil {
		return err
	}
	in := bufio.NewScanner(stdin)
	in.Buffer(nil, 1<<20)
	for {
		fmt.Fprint(out, "prompt> ")
		out.Flush()
		if !in.Scan() {
			fmt.Fprintln(out)
			return in.Err()
		}
		line := strings.TrimRight(in.Text(), "\r")
		if line == "" {
			continue
		}
		ids := tok.Encode(line, !o.noBOS, !o.noParseSpecial)
		if err := complete(o, m, s, tok, ids, out); err != nil {
			// One bad prompt (too long, say) does not end the session.
			out.Flush()
			fmt.Fprintf(stderr, "generate: %v\n", err)
		}
	}
}

// newState checks nCtx against the model and makes a State with a KV
// cache of kvType.
func newState(m *model.Model, nCtx, threads int, kvType quant.Type) (*model.State, error) {
	if nCtx < 1 {
		return nil, errors.New("empty context: the prompt has no tokens and -n is 0")
	}
	if t := m.Config.NCtxTrain; t > 0 && nCtx > t {
		return nil, fmt.Errorf("context of %d tokens exceeds the model's %d", nCtx, t)
	}
	return m.NewStateKV(nCtx, threads, kvType)
}

// complete runs one prompt from position 0 and writes the continuation (or
// the ids, with --tokens).
func complete(o *options, m *model.Model, s *model.State, tok *tokenizer.Tokenizer, ids []int32, out *bufio.Writer) error {
	if len(ids) == 0 {
		return errors.New("the prompt has no tokens (empty text and no BOS)")
	}
	if len(ids)+o.nPredict > s.KV.NCtx {
		return fmt.Errorf("prompt of %d tokens + %d to generate exceeds the context (%d)", len(ids), o.nPredict, s.KV.NCtx)
	}
	if o.tokens {
		writeIDs(out, ids)
	}
	smp := sample.New(o.params)
	for _, id := range ids {
		smp.Accept(id)
	}
	var gen []int32
	dec := tok.NewDecoder() // holds back bytes of an unfinished UTF-8 character
	pos := 0
	batch := ids
	one := make([]int32, 1) // the batch of one generated token, reused
	for len(gen) < o.nPredict {
		logits, err := s.Forward(batch, pos)
		if err != nil {
			return err
		}
		pos += len(batch)
		next := smp.Sample(logits)
		if tok.IsEOG(next) && !o.ignoreEOS {
			break
		}
		smp.Accept(next)
		gen = append(gen, next)
		if !o.tokens {
			out.WriteString(dec.Next(next))
			out.Flush()
		}
		one[0] = next
		batch = one
	}
	if o.tokens {
		writeIDs(out, gen)
		return nil
	}
	out.WriteString(dec.Flush())
	fmt.Fprintln(out)
	return nil
}

func writeIDs(w io.Writer, ids []int32) {
	for i, id := range ids {
		if i > 0 {
			fmt.Fprint(w, " ")
		}
		fmt.Fprint(w, id)
	}
	fmt.Fprintln(w)
}
