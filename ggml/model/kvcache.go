package model

import (
	"fmt"
	"unsafe"

	"github.com/limnx/limnx/ggml/quant"
	"github.com/x448/float16"
)

// KVCache holds every layer's keys and values, grouped by key/value head,
// in float32 (Type F32: K and V) or binary16 (Type F16: K16 and V16, half
// the memory and half the bytes attention reads per token, as llama.cpp's
// default cache). Keys are stored one row per position; values are
// transposed, one row per dimension, so that attention reads both as
// contiguous rows (a head's keys against a query, its value dimensions
// against the softmax weights):
//
//	K[l][(h*NCtx + pos)*HeadDim + d]
//	V[l][(h*HeadDim + d)*NCtx + pos]
type KVCache struct {
	NCtx    int         // positions it can hold
	HeadDim int         // values per head
	Type    quant.Type  // F32 or F16
	K       [][]float32 // F32: (NLayer, NHeadKV, NCtx, HeadDim)
	V       [][]float32 // F32: (NLayer, NHeadKV, HeadDim, NCtx)
	K16     [][]uint16  // F16: as K
	V16     [][]uint16  // F16: as V
}

// NewKVCache returns an empty cache for nCtx positions of model config c
// holding values of type t, F32 or F16.
func NewKVCache(c *Config, nCtx int, t quant.Type) (*KVCache, error) {
	kv := &KVCache{NCtx: nCtx, HeadDim: c.HeadDim, Type: t}
	n := nCtx * c.KVDim()
	switch t {
	case quant.F32:
		kv.K, kv.V = make([][]float32, c.NLayer), make([][]float32, c.NLayer)
		for l := range kv.K {
			kv.K[l], kv.V[l] = make([]float32, n), make([]float32, n)
		}
	case quant.F16:
		kv.K16, kv.V16 = make([][]uint16, c.NLayer), make([][]uint16, c.NLayer)
		for l := range kv.K16 {
			kv.K16[l], kv.V16[l] = make([]uint16, n), make([]uint16, n)
		}
	default:
		return nil, fmt.Errorf("model: KV cache type %v: want f32 or f16", t)
	}
	return kv, nil
}

// store writes layer l's keys k and values v (KVDim values each) for
// position pos (F16: rounded to nearest even).
func (kv *KVCache) store(l, pos int, k, v []float32) {
	hd, nCtx := kv.HeadDim, kv.NCtx
	f16, _ := quant.F16.Traits()
	for h := 0; h < len(k)/hd; h++ {
		kh, vh := k[h*hd:(h+1)*hd], v[h*hd:(h+1)*hd]
		if kv.Type == quant.F16 {
			// The key row is contiguous: the F16 activation quantizer
			// (vectorized with the fast kernels, byte-identical to the
			// rounding below) converts it in one call.
			f16.QuantizeAct(kh, u16Bytes(kv.K16[l][(h*nCtx+pos)*hd:(h*nCtx+pos+1)*hd]))
			vt := kv.V16[l][h*hd*nCtx : (h+1)*hd*nCtx]
			for d, x := range vh {
				vt[d*nCtx+pos] = float16.Fromfloat32(x).Bits()
			}
			continue
		}
		copy(kv.K[l][(h*nCtx+pos)*hd:(h*nCtx+pos+1)*hd], kh)
		vt := kv.V[l][h*hd*nCtx : (h+1)*hd*nCtx]
		for d, x := range vh {
			vt[d*nCtx+pos] = x
		}
	}
}

// clearValuePad zeroes layer l's value cells after position last up to
// the next multiple of 8 positions: attention reads them with weight 0
// (its rows padded to the kernel width), and a stale cell of an earlier,
// longer sequence could hold an Inf or NaN that 0 times would not cancel.
func (kv *KVCache) clearValuePad(l, last int) {
	nCtx := kv.NCtx
	end := min(nCtx, (last+8)&^7)
	if end <= last+1 {
		return
	}
	if kv.Type == quant.F16 {
		clearColumns(kv.V16[l], nCtx, last+1, end)
	} else {
		clearColumns(kv.V[l], nCtx, last+1, end)
	}
}

// clearColumns zeroes columns c0..c1-1 of every row of the row-major
// matrix m with rows of n elements (the value cache: one row per head and
// dimension, one column per position).
func clearColumns[E float32 | uint16](m []E, n, c0, c1 int) {
	for r := 0; r < len(m)/n; r++ {
		clear(m[r*n+c0 : r*n+c1])
	}
}

// Bytes returns the cache's size in bytes.
func (kv *KVCache) Bytes() int {
	n := 0
	for l := range kv.K {
		n += 4 * (len(kv.K[l]) + len(kv.V[l]))
	}
	for l := range kv.K16 {
		n += 2 * (len(kv.K16[l]) + len(kv.V16[l]))
	}
	return n
}

// u16Bytes views x as its bytes (little-endian F16 rows: the Gemm kernels
// that take them exist only on little-endian amd64 and arm64, and the Go
// reference reads little-endian too).
func u16Bytes(x []uint16) []byte {
	if len(x) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), 2*len(x))
}
