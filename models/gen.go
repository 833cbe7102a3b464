package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
)

// weightStd is the standard deviation of the random weights.
const weightStd = 0.02

// generate writes the model s describes to path: metadata, the vocabulary's
// tokenizer.* keys, and deterministic random weights, streamed tensor by tensor
// and made on threads goroutines (<= 0: one per CPU). Progress goes to progOut
// (nil: none). The file appears under path only when complete.
func generate(s Spec, path string, threads int, progOut io.Writer) error {
	if err := s.check(); err != nil {
		return err
	}
	m, _ := mixFor(s.Type)
	vocab, nVocab, err := vocabulary(s.Vocab)
	if err != nil {
		return err
	}
	return writeFile(path, func(w *gguf.Writer) (*progress, error) {
		md := s.metadata(nVocab, m.fileType)
		// general.* and <arch>.* first, then the tokenizer, then the two
		// quantization keys, as llama.cpp's tools order them.
		for _, kv := range md[:len(md)-2] {
			w.Set(kv.Key, kv.Value)
		}
		for _, kv := range vocab {
			w.Set(kv.Key, kv.Value)
		}
		for _, kv := range md[len(md)-2:] {
			w.Set(kv.Key, kv.Value)
		}
		plan := s.tensors(nVocab)
		ctx := &mixContext{nLayer: s.NLayer, hasOutput: !s.Tied}
		var total int64
		types := make([]quant.Type, len(plan))
		for i, pt := range plan {
			types[i] = m.typeFor(pt.name, pt.dims, ctx)
			size, err := gguf.TensorSize(types[i], pt.dims)
			if err != nil {
				return nil, fmt.Errorf("models: tensor %s: %w", pt.name, err)
			}
			total += int64(size)
		}
		p := newProgress(progOut, total, len(plan))
		for i, pt := range plan {
			t := types[i]
			rowLen := int(pt.dims[0])
			rows := 1
			for _, d := range pt.dims[1:] {
				rows *= int(d)
			}
			rowBytes, err := quant.RowSize(t, rowLen)
			if err != nil {
				return nil, fmt.Errorf("models: tensor %s: %w", pt.name, err)
			}
			fn := func(row int, f []float32, dst []byte) error {
				if pt.init == initOnes {
					for k := range f {
						f[k] = 1
					}
				} else {
					fillNormal(f, rowSeed(s.Seed, i, row), weightStd)
				}
				return quant.Quantize(t, f, dst)
			}
			err = w.AddTensorFunc(pt.name, t, pt.dims, func(dst io.Writer) error {
				p.begin(i, pt.name)
				return writeRows(dst, rows, rowLen, rowBytes, threads, fn, p)
			})
			if err != nil {
				return nil, err
			}
		}
		return p, nil
	})
}

// writeFile creates path through a temporary file in the same directory: build
// adds metadata and tensors to the Writer, then the file is written, synced and
// renamed into place. On error the temporary file is removed.
func writeFile(path string, build func(w *gguf.Writer) (*progress, error)) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := gguf.NewWriter(tmp)
	p, err := build(w)
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("models: write %s: %w", path, err)
	}
	p.finish()
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("models: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("models: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("models: %w", err)
	}
	return nil
}
