package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
)

// convert rewrites the GGUF at in to out with its weights in the type or mix
// typeName: each 2-D (or larger) tensor is dequantized row by row and quantized
// to the type the mix picks (copied unchanged when that is its type already);
// vectors (norms, biases) are copied unchanged, as llama-quantize does. Metadata
// is copied, with general.file_type set to the mix's. Tensors are streamed, rows
// made on threads goroutines (<= 0: one per CPU).
func convert(in, out, typeName string, threads int, progOut io.Writer) error {
	m, err := mixFor(typeName)
	if err != nil {
		return err
	}
	src, err := gguf.Open(in)
	if err != nil {
		return fmt.Errorf("models: convert: %w", err)
	}
	defer src.Close()

	ctx := &mixContext{}
	for _, ti := range src.Tensors {
		if ti.Name == "output.weight" {
			ctx.hasOutput = true
		}
		if l, ok := layerOf(ti.Name); ok {
			ctx.nLayer = max(ctx.nLayer, l+1)
		}
	}
	if arch, ok := src.String("general.architecture"); ok {
		if n, ok := src.Uint(arch + ".block_count"); ok {
			ctx.nLayer = int(n)
		}
	}

	return writeFile(out, func(w *gguf.Writer) (*progress, error) {
		for _, kv := range src.KV {
			w.Set(kv.Key, kv.Value)
		}
		w.Set("general.quantization_version", gguf.Uint32(2))
		w.Set("general.file_type", gguf.Uint32(m.fileType))

		types := make([]quant.Type, len(src.Tensors))
		var total int64
		for i := range src.Tensors {
			ti := &src.Tensors[i]
			types[i] = ti.Type
			if len(ti.Dims) >= 2 {
				types[i] = m.typeFor(ti.Name, ti.Dims, ctx)
			}
			size, err := gguf.TensorSize(types[i], ti.Dims)
			if err != nil {
				return nil, fmt.Errorf("models: tensor %s: %w", ti.Name, err)
			}
			total += int64(size)
		}
		p := newProgress(progOut, total, len(src.Tensors))
		for i := range src.Tensors {
			ti := &src.Tensors[i]
			data := src.TensorData(ti)
			from, to := ti.Type, types[i]
			if from == to {
				err := w.AddTensorFunc(ti.Name, to, ti.Dims, func(dst io.Writer) error {
					p.begin(i, ti.Name)
					_, err := dst.Write(data)
					p.add(len(data))
					return err
				})
				if err != nil {
					return nil, err
				}
				continue
			}
			if _, ok := from.Traits(); !ok {
				return nil, fmt.Errorf("models: tensor %s: cannot convert from %v (not supported by ggml/quant)", ti.Name, from)
			}
			rowLen := int(ti.Dims[0])
			rows := int(ti.Rows())
			inBytes, err := quant.RowSize(from, rowLen)
			if err != nil {
				return nil, fmt.Errorf("models: tensor %s: %w", ti.Name, err)
			}
			outBytes, err := quant.RowSize(to, rowLen)
			if err != nil {
				return nil, fmt.Errorf("models: tensor %s: %w", ti.Name, err)
			}
			fn := func(row int, f []float32, dst []byte) error {
				if err := quant.Dequantize(from, data[row*inBytes:(row+1)*inBytes], f); err != nil {
					return err
				}
				return quant.Quantize(to, f, dst)
			}
			err = w.AddTensorFunc(ti.Name, to, ti.Dims, func(dst io.Writer) error {
				p.begin(i, ti.Name)
				return writeRows(dst, rows, rowLen, outBytes, threads, fn, p)
			})
			if err != nil {
				return nil, err
			}
		}
		return p, nil
	})
}

// info prints a GGUF file's metadata (long values shortened) and tensors.
func info(out io.Writer, path string) error {
	f, err := gguf.Open(path)
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	defer f.Close()
	fmt.Fprintf(out, "%s: GGUF v%d, alignment %d, %d metadata keys, %d tensors, data at %d\n",
		path, f.Version, f.Alignment, len(f.KV), len(f.Tensors), f.DataOffset)
	for _, kv := range f.KV {
		s := kv.Value.String()
		if len(s) > 100 {
			cut := 100
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			s = s[:cut] + "..."
		}
		s = strings.ReplaceAll(s, "\n", `\n`)
		fmt.Fprintf(out, "  %-44s %-6s %s\n", kv.Key, kv.Value.Type, s)
	}
	var total uint64
	for _, ti := range f.Tensors {
		fmt.Fprintf(out, "  %-32s %-5v %v\n", ti.Name, ti.Type, ti.Dims)
		total += ti.NumElements()
	}
	fmt.Fprintf(out, "%d parameters\n", total)
	return nil
}
