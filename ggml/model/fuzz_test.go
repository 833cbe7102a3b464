package model

import (
	"bytes"
	"testing"

	"github.com/limnx/limnx/ggml/gguf"
	"github.com/limnx/limnx/ggml/quant"
)

// tinyBytes writes buildTiny's model for s and returns the file bytes.
func tinyBytes(t testing.TB, s tinySpec) []byte {
	f := buildTiny(t, s)
	var buf bytes.Buffer
	w := gguf.NewWriter(&buf)
	for _, kv := range f.KV {
		w.Set(kv.Key, kv.Value)
	}
	for i := range f.Tensors {
		ti := &f.Tensors[i]
		if err := w.AddTensor(ti.Name, ti.Type, ti.Dims, f.TensorData(ti)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzLoad checks that any parseable GGUF either fails Load with an error
// or loads into a model whose Forward runs: never a panic.
func FuzzLoad(f *testing.F) {
	small := func(arch string, typ quant.Type) tinySpec {
		s := defaultSpec(arch)
		s.nEmbd, s.nFF, s.nHead, s.nHeadKV, s.nLayer, s.nVocab, s.wtype = 32, 32, 2, 1, 1, 8, typ
		return s
	}
	for _, s := range []tinySpec{small("llama", quant.F32), small("qwen3", quant.Q8_0), small("qwen2", quant.F16)} {
		s.bias = s.arch == "qwen2"
		f.Add(tinyBytes(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		gf, err := gguf.Parse(data)
		if err != nil {
			return
		}
		m, err := Load(gf)
		if err != nil {
			return
		}
		if m.Config.NEmbd*m.Config.NLayer > 1<<16 {
			return // valid but too big to run quickly
		}
		s := m.NewState(2, 1)
		defer s.Close()
		if _, err := s.Forward([]int32{0, int32(m.Config.NVocab - 1)}, 0); err != nil {
			t.Fatalf("Forward on a loaded model: %v", err)
		}
	})
}
