package tokenizer

// A minimal GGUF metadata reader for the tests, used until ggml/gguf lands.
// TODO(tokenizer): remove once FromGGUF can use ggml/gguf.

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

type ggufMin struct {
	b   []byte
	pos int
	kv  map[string]any
}

func (g *ggufMin) u32() uint32 { v := binary.LittleEndian.Uint32(g.b[g.pos:]); g.pos += 4; return v }
func (g *ggufMin) u64() uint64 { v := binary.LittleEndian.Uint64(g.b[g.pos:]); g.pos += 8; return v }
func (g *ggufMin) str() string {
	n := int(g.u64())
	s := string(g.b[g.pos : g.pos+n])
	g.pos += n
	return s
}

func (g *ggufMin) value(typ uint32) any {
	switch typ {
	case 0, 1:
		g.pos++
		return uint64(g.b[g.pos-1])
	case 2, 3:
		g.pos += 2
		return uint64(binary.LittleEndian.Uint16(g.b[g.pos-2:]))
	case 4, 5:
		return uint64(g.u32())
	case 6:
		return math.Float32frombits(g.u32())
	case 7:
		g.pos++
		return g.b[g.pos-1] != 0
	case 8:
		return g.str()
	case 9:
		et := g.u32()
		n := int(g.u64())
		switch et {
		case 8:
			a := make([]string, n)
			for i := range a {
				a[i] = g.str()
			}
			return a
		case 6:
			a := make([]float32, n)
			for i := range a {
				a[i] = g.value(6).(float32)
			}
			return a
		case 5, 4:
			a := make([]int32, n)
			for i := range a {
				a[i] = int32(g.u32())
			}
			return a
		default:
			a := make([]any, n)
			for i := range a {
				a[i] = g.value(et)
			}
			return a
		}
	case 10, 11:
		return g.u64()
	case 12:
		return math.Float64frombits(g.u64())
	}
	panic(fmt.Sprintf("gguf type %d", typ))
}

// configFromFile reads the tokenizer metadata of a GGUF file into a Config.
func configFromFile(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	g := &ggufMin{b: b, pos: 16, kv: map[string]any{}}
	nkv := int(g.u64())
	for i := 0; i < nkv; i++ {
		k := g.str()
		g.kv[k] = g.value(g.u32())
	}
	var c Config
	c.Model, _ = g.kv["tokenizer.ggml.model"].(string)
	c.Pre, _ = g.kv["tokenizer.ggml.pre"].(string)
	c.Tokens, _ = g.kv["tokenizer.ggml.tokens"].([]string)
	c.Scores, _ = g.kv["tokenizer.ggml.scores"].([]float32)
	c.Types, _ = g.kv["tokenizer.ggml.token_type"].([]int32)
	c.Merges, _ = g.kv["tokenizer.ggml.merges"].([]string)
	id := func(key string) *uint32 {
		if v, ok := g.kv[key].(uint64); ok {
			u := uint32(v)
			return &u
		}
		return nil
	}
	flag := func(key string) *bool {
		if v, ok := g.kv[key].(bool); ok {
			return &v
		}
		return nil
	}
	c.BOS, c.EOS, c.EOT = id("tokenizer.ggml.bos_token_id"), id("tokenizer.ggml.eos_token_id"), id("tokenizer.ggml.eot_token_id")
	c.UNK, c.PAD = id("tokenizer.ggml.unknown_token_id"), id("tokenizer.ggml.padding_token_id")
	c.AddBOS, c.AddEOS, c.AddSpacePrefix = flag("tokenizer.ggml.add_bos_token"), flag("tokenizer.ggml.add_eos_token"), flag("tokenizer.ggml.add_space_prefix")
	return c, nil
}
