package model

import (
	"fmt"
	"unsafe"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
)

// Matrix is a 2-D weight tensor as stored in the file: Rows rows of Cols
// elements of Type, row-major, Data a view into the GGUF mapping (never
// copied or dequantized as a whole).
type Matrix struct {
	Name     string
	Type     quant.Type
	Rows     int // ggml ne[1]: output features
	Cols     int // ggml ne[0]: the row length, input features
	RowBytes int // bytes per row
	Data     []byte
}

// Row returns the bytes of row r.
func (m *Matrix) Row(r int) []byte { return m.Data[r*m.RowBytes : (r+1)*m.RowBytes] }

// Layer holds one transformer block's weights. Shapes are (rows, cols) =
// (out, in); vectors are float32.
type Layer struct {
	AttnNorm []float32 // (NEmbd)
	Wq       Matrix    // (QDim, NEmbd)
	Wk       Matrix    // (KVDim, NEmbd)
	Wv       Matrix    // (KVDim, NEmbd)
	Bq       []float32 // (QDim) or nil
	Bk       []float32 // (KVDim) or nil
	Bv       []float32 // (KVDim) or nil
	QNorm    []float32 // (HeadDim), qwen3 only
	KNorm    []float32 // (HeadDim), qwen3 only
	Wo       Matrix    // (NEmbd, QDim)
	Bo       []float32 // (NEmbd) or nil
	FFNNorm  []float32 // (NEmbd)
	Gate     Matrix    // (NFF, NEmbd)
	Up       Matrix    // (NFF, NEmbd)
	Down     Matrix    // (NEmbd, NFF)
}

// Weights holds every tensor the forward pass reads.
type Weights struct {
	TokenEmbd  Matrix    // (NVocab, NEmbd); rows are dequantized one at a time
	Layers     []Layer   // (NLayer)
	OutputNorm []float32 // (NEmbd)
	Output     Matrix    // (NVocab, NEmbd); token_embd.weight when the file has no output.weight
	Tied       bool      // Output is TokenEmbd
	RopeFreqs  []float32 // (NRot/2) or nil: rope_freqs.weight
}

// loader looks up tensors by name and checks their shape and type.
type loader struct {
	f *gguf.File
}

// matrix returns the 2-D tensor name with rows x cols elements.
func (l loader) matrix(name string, rows, cols int) (Matrix, error) {
	ti, data, ok := l.f.Tensor(name)
	if !ok {
		return Matrix{}, fmt.Errorf("model: tensor %q missing", name)
	}
	if len(ti.Dims) != 2 || ti.Dims[0] != uint64(cols) || ti.Dims[1] != uint64(rows) {
		return Matrix{}, fmt.Errorf("model: tensor %q: shape %v, want [%d %d]", name, ti.Dims, cols, rows)
	}
	tr, ok := ti.Type.Traits()
	if !ok || tr.VecDot == nil || tr.ToFloat == nil {
		return Matrix{}, fmt.Errorf("model: tensor %q: type %v: unsupported", name, ti.Type)
	}
	rowBytes, err := quant.RowSize(ti.Type, cols)
	if err != nil {
		return Matrix{}, fmt.Errorf("model: tensor %q: %w", name, err)
	}
	if len(data) != rowBytes*rows {
		return Matrix{}, fmt.Errorf("model: tensor %q: %d bytes of data, want %d", name, len(data), rowBytes*rows)
	}
	return Matrix{Name: name, Type: ti.Type, Rows: rows, Cols: cols, RowBytes: rowBytes, Data: data}, nil
}

// vector returns the 1-D tensor name of n elements as float32: a view into
// the mapping for F32 (when aligned), else a dequantized copy.
func (l loader) vector(name string, n int) ([]float32, error) {
	ti, data, ok := l.f.Tensor(name)
	if !ok {
		return nil, fmt.Errorf("model: tensor %q missing", name)
	}
	if len(ti.Dims) != 1 || ti.Dims[0] != uint64(n) {
		return nil, fmt.Errorf("model: tensor %q: shape %v, want [%d]", name, ti.Dims, n)
	}
	if ti.Type == quant.F32 && len(data) == 4*n && uintptr(unsafe.Pointer(unsafe.SliceData(data)))%4 == 0 {
		// Zero copy: GGUF stores little-endian float32, as do amd64 and arm64.
		return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(data))), n), nil
	}
	out := make([]float32, n)
	if err := quant.Dequantize(ti.Type, data, out); err != nil {
		return nil, fmt.Errorf("model: tensor %q: %w", name, err)
	}
	return out, nil
}

// optVector is vector for a tensor that may be absent (nil, nil).
func (l loader) optVector(name string, n int) ([]float32, error) {
	if _, _, ok := l.f.Tensor(name); !ok {
		return nil, nil
	}
	return l.vector(name, n)
}

// has reports whether tensor name exists.
func (l loader) has(name string) bool {
	_, _, ok := l.f.Tensor(name)
	return ok
}

// loadWeights finds every tensor c needs in f. It sets c.NVocab from
// token_embd.weight.
func loadWeights(f *gguf.File, c *Config) (Weights, error) {
	var w Weights
	l := loader{f}
	ti, _, ok := f.Tensor("token_embd.weight")
	if !ok {
		return w, fmt.Errorf("model: tensor %q missing", "token_embd.weight")
	}
	if len(ti.Dims) != 2 || ti.Dims[1] == 0 || ti.Dims[1] > 1<<31-1 {
		return w, fmt.Errorf("model: tensor %q: shape %v, want [%d n_vocab]", "token_embd.weight", ti.Dims, c.NEmbd)
	}
	c.NVocab = int(ti.Dims[1])
	var err error
	if w.TokenEmbd, err = l.matrix("token_embd.weight", c.NVocab, c.NEmbd); err != nil {
		return w, err
	}
	if w.OutputNorm, err = l.vector("output_norm.weight", c.NEmbd); err != nil {
		return w, err
	}
	if l.has("output.weight") {
		if w.Output, err = l.matrix("output.weight", c.NVocab, c.NEmbd); err != nil {
			return w, err
		}
	} else {
		w.Output, w.Tied = w.TokenEmbd, true
	}
	if w.RopeFreqs, err = l.optVector("rope_freqs.weight", c.NRot/2); err != nil {
		return w, err
	}

	qDim, kvDim := c.QDim(), c.KVDim()
	// Grow the layers as their tensors are found: block_count comes from
	// the file and must not size an allocation by itself.
	w.Layers = make([]Layer, 0, min(c.NLayer, len(f.Tensors)))
	for i := range c.NLayer {
		w.Layers = append(w.Layers, Layer{})
		L := &w.Layers[i]
		p := fmt.Sprintf("blk.%d.", i)
		vec := func(dst *[]float32, name string, n int, required bool) {
			if err != nil {
				return
			}
			if required {
				*dst, err = l.vector(p+name, n)
			} else {
				*dst, err = l.optVector(p+name, n)
			}
		}
		mat := func(dst *Matrix, name string, rows, cols int) {
			if err != nil {
				return
			}
			*dst, err = l.matrix(p+name, rows, cols)
		}
		vec(&L.AttnNorm, "attn_norm.weight", c.NEmbd, true)
		mat(&L.Wq, "attn_q.weight", qDim, c.NEmbd)
		mat(&L.Wk, "attn_k.weight", kvDim, c.NEmbd)
		mat(&L.Wv, "attn_v.weight", kvDim, c.NEmbd)
		vec(&L.Bq, "attn_q.bias", qDim, c.QKVBias)
		vec(&L.Bk, "attn_k.bias", kvDim, c.QKVBias)
		vec(&L.Bv, "attn_v.bias", kvDim, c.QKVBias)
		if c.QKNorm {
			vec(&L.QNorm, "attn_q_norm.weight", c.HeadDim, true)
			vec(&L.KNorm, "attn_k_norm.weight", c.HeadDim, true)
		}
		mat(&L.Wo, "attn_output.weight", c.NEmbd, qDim)
		vec(&L.Bo, "attn_output.bias", c.NEmbd, false)
		vec(&L.FFNNorm, "ffn_norm.weight", c.NEmbd, true)
		mat(&L.Gate, "ffn_gate.weight", c.NFF, c.NEmbd)
		mat(&L.Up, "ffn_up.weight", c.NFF, c.NEmbd)
		mat(&L.Down, "ffn_down.weight", c.NEmbd, c.NFF)
		if err != nil {
			return w, err
		}
	}
	return w, nil
}
