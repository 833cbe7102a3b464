package model

import (
	"fmt"

	"github.com/limnx/limnx/ggml/gguf"
)

// Model is a loaded transformer: its Config and its Weights, which point
// into the GGUF file's mapping. The file must stay open while the Model is
// used.
type Model struct {
	Config  Config
	Weights Weights
}

// Load reads the configuration and finds every weight in f. Nothing is
// copied except small non-F32 vectors. It returns an error (never panics)
// for an unknown architecture (wrapping ErrUnknownArch), missing metadata,
// a missing tensor, a tensor of the wrong shape or size, or an unsupported
// tensor type.
func Load(f *gguf.File) (*Model, error) {
	c, err := ConfigFromGGUF(f)
	if err != nil {
		return nil, err
	}
	w, err := loadWeights(f, &c)
	if err != nil {
		return nil, err
	}
	return &Model{Config: c, Weights: w}, nil
}

// Open maps the GGUF file at path and loads the model from it. The caller
// closes the returned file when done with the Model.
func Open(path string) (*Model, *gguf.File, error) { return open(path, gguf.Open) }

// OpenHugePages is Open with the file copied into memory backed by 2 MiB
// pages (gguf.OpenHugePages) instead of mapped: faster decoding for a
// second copy of the weights.
func OpenHugePages(path string) (*Model, *gguf.File, error) { return open(path, gguf.OpenHugePages) }

func open(path string, openFile func(string) (*gguf.File, error)) (*Model, *gguf.File, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, nil, err
	}
	m, err := Load(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, f, nil
}
