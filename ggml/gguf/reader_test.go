package gguf

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
)

// raw builds GGUF bytes field by field, so tests can write what Writer refuses to.
type raw []byte

func (r raw) u32(x uint32) raw { return binary.LittleEndian.AppendUint32(r, x) }
func (r raw) u64(x uint64) raw { return binary.LittleEndian.AppendUint64(r, x) }
func (r raw) str(s string) raw { return append(r.u64(uint64(len(s))), s...) }

// header starts a file.
func header(version uint32, nTensors, nKV uint64) raw {
	return raw(Magic).u32(version).u64(nTensors).u64(nKV)
}

// kvU32 appends a u32 metadata pair.
func (r raw) kvU32(key string, x uint32) raw {
	return r.str(key).u32(uint32(TypeUint32)).u32(x)
}

// tensor appends a tensor info.
func (r raw) tensor(name string, dims []uint64, t quant.Type, off uint64) raw {
	r = r.str(name).u32(uint32(len(dims)))
	for _, d := range dims {
		r = r.u64(d)
	}
	return r.u32(uint32(t)).u64(off)
}

// data pads to align and appends n bytes of data.
func (r raw) data(align, n int) raw {
	for len(r)%align != 0 {
		r = append(r, 0)
	}
	return append(r, make([]byte, n)...)
}

// nestedArrays returns an array value nested depth deep, innermost empty.
func nestedArrays(r raw, depth int) raw {
	for range depth - 1 {
		r = r.u32(uint32(TypeArray)).u64(1)
	}
	return r.u32(uint32(TypeUint8)).u64(0)
}

// TestParseValid checks the small hand-built file and its v2 twin parse.
func TestParseValid(t *testing.T) {
	for _, version := range []uint32{2, 3} {
		b := header(version, 1, 1).kvU32("k", 7).tensor("t", []uint64{8}, quant.F32, 0).data(32, 32)
		f, err := Parse(b)
		if err != nil {
			t.Fatalf("v%d: %v", version, err)
		}
		if k, _ := f.Uint("k"); f.Version != version || k != 7 || len(f.Tensors) != 1 || f.Tensors[0].Size != 32 || f.DataOffset != 96 {
			t.Errorf("v%d: version %d k %d tensors %v data offset %d", version, f.Version, k, f.Tensors, f.DataOffset)
		}
	}
	// A file with no tensors may end right after its metadata.
	if f, err := Parse(header(3, 0, 1).kvU32("k", 7)); err != nil || len(f.Data) != 0 {
		t.Errorf("vocab-only file without padding: %v", err)
	}
}

func TestParseMalformed(t *testing.T) {
	ok1 := func(r raw) raw { return r.tensor("t", []uint64{8}, quant.F32, 0).data(32, 32) }
	tests := []struct {
		name string
		data raw
		want error
		text string // in the message, if set
	}{
		{"empty", nil, ErrTruncated, ""},
		{"bad magic", raw("GGUG").u32(3).u64(0).u64(0), ErrBadMagic, `"GGUG"`},
		{"version 1", header(1, 0, 0), ErrVersion, "version 1"},
		{"version 4", header(4, 0, 0), ErrVersion, "version 4"},
		{"big-endian", header(3<<24, 0, 0), ErrVersion, "big-endian"},
		{"truncated header", header(3, 0, 0)[:20], ErrTruncated, "metadata kv count"},
		{"huge kv count", header(3, 0, 1<<62), ErrTruncated, "metadata kvs"},
		{"huge tensor count", header(3, 1<<40, 0), ErrTruncated, "tensor infos"},
		{"huge key length", header(3, 0, 1).u64(1 << 63).u32(0).u32(0), ErrTruncated, "kv 0 key"},
		{"unknown value type", header(3, 0, 1).str("k").u32(13).u32(0), ErrValueType, `"k"`},
		{"unknown array type", header(3, 0, 1).str("k").u32(uint32(TypeArray)).u32(99).u64(0), ErrValueType, "element type 99"},
		{"huge string array", header(3, 0, 1).str("k").u32(uint32(TypeArray)).u32(uint32(TypeString)).u64(1 << 60).u64(0), ErrTruncated, ""},
		{"huge u64 array", header(3, 0, 1).str("k").u32(uint32(TypeArray)).u32(uint32(TypeUint64)).u64(1 << 61).u64(0), ErrTruncated, ""},
		{"string past end", header(3, 0, 1).str("k").u32(uint32(TypeString)).u64(100).u32(0), ErrTruncated, "string of 100 bytes"},
		{"string in array past end", header(3, 0, 1).str("k").u32(uint32(TypeArray)).u32(uint32(TypeString)).u64(2).str("a").u64(50).u64(0), ErrTruncated, "array element 1"},
		{"arrays too deep", nestedArrays(header(3, 0, 1).str("k").u32(uint32(TypeArray)), maxDepth+1), ErrTooLarge, "nested"},
		{"duplicate key", header(3, 0, 2).kvU32("k", 1).kvU32("k", 2), ErrDuplicate, `"k"`},
		{"alignment 3", header(3, 0, 1).kvU32(KeyAlignment, 3), ErrAlignment, "= 3"},
		{"alignment 0", header(3, 0, 1).kvU32(KeyAlignment, 0), ErrAlignment, "= 0"},
		{"alignment huge", header(3, 0, 1).kvU32(KeyAlignment, 1<<31), ErrAlignment, ""},
		{"alignment string", header(3, 0, 1).str(KeyAlignment).u32(uint32(TypeString)).str("32"), ErrValueType, KeyAlignment},
		{"alignment negative", header(3, 0, 1).str(KeyAlignment).u32(uint32(TypeInt32)).u32(0xffffffe0), ErrValueType, KeyAlignment},
		{"duplicate tensor", header(3, 2, 0).tensor("t", []uint64{8}, quant.F32, 0).tensor("t", []uint64{8}, quant.F32, 32).data(32, 64), ErrDuplicate, `"t"`},
		{"unaligned offset", header(3, 1, 0).tensor("t", []uint64{8}, quant.F32, 4).data(32, 64), ErrAlignment, "offset 4"},
		{"unaligned offset 64", header(3, 1, 1).kvU32(KeyAlignment, 64).tensor("t", []uint64{8}, quant.F32, 32).data(64, 128), ErrAlignment, "offset 32"},
		{"removed type 4", header(3, 1, 0).tensor("t", []uint64{32}, 4, 0).data(32, 64), ErrTensorType, "type 4"},
		{"type 1000", header(3, 1, 0).tensor("t", []uint64{32}, 1000, 0).data(32, 64), ErrTensorType, "type 1000"},
		{"five dims", header(3, 1, 0).tensor("t", []uint64{1, 1, 1, 1, 1}, quant.F32, 0).data(32, 32), ErrShape, "5 dimensions"},
		{"row not whole blocks", header(3, 1, 0).tensor("t", []uint64{33}, quant.Q4_0, 0).data(32, 64), ErrShape, "block size 32"},
		{"size overflow", header(3, 1, 0).tensor("t", []uint64{1 << 40, 1 << 40}, quant.F32, 0).data(32, 32), ErrTooLarge, ""},
		{"element overflow", header(3, 1, 0).tensor("t", []uint64{1, 1 << 40, 1 << 40}, quant.F32, 0).data(32, 32), ErrTooLarge, ""},
		{"offset past end", header(3, 1, 0).tensor("t", []uint64{8}, quant.F32, 64).data(32, 32), ErrTruncated, "past end"},
		{"offset wraps", header(3, 1, 0).tensor("t", []uint64{8}, quant.F32, 1<<64-32).data(32, 32), ErrTruncated, "past end"},
		{"data one byte short", header(3, 1, 0).tensor("t", []uint64{8}, quant.F32, 0).data(32, 31), ErrTruncated, `"t"`},
		{"no data section", header(3, 1, 0).tensor("t", []uint64{8}, quant.F32, 0), ErrTruncated, "data section"},
		{"tensor info truncated", ok1(header(3, 1, 0))[:50], ErrTruncated, "tensor info 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.data)
			if err == nil {
				t.Fatalf("Parse succeeded: %d tensors, %d kvs", len(f.Tensors), len(f.KV))
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "gguf: ") || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %q, want it to start with \"gguf: \" and contain %q", err, tc.text)
			}
		})
	}
}

// TestParseTruncations cuts a valid file at every length: every cut inside the
// header, metadata, tensor infos or tensor data fails with ErrTruncated, and only
// cuts in the trailing padding parse.
func TestParseTruncations(t *testing.T) {
	full := writeSample(t, 0)
	f, err := Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	var end uint64
	for _, ti := range f.Tensors {
		end = max(end, ti.Offset+ti.Size)
	}
	need := int(uint64(f.DataOffset) + end)
	for n := range len(full) {
		_, err := Parse(full[:n])
		switch {
		case n < need && !errors.Is(err, ErrTruncated):
			t.Fatalf("cut at %d of %d: err = %v, want ErrTruncated", n, len(full), err)
		case n >= need && err != nil:
			t.Fatalf("cut at %d (data ends at %d): %v", n, need, err)
		}
	}
}

// TestLayoutsMatchQuant checks the block layouts against ggml/quant's Traits and
// RowSize for every type ggml/quant supports.
func TestLayoutsMatchQuant(t *testing.T) {
	checked := 0
	for typ, l := range layouts {
		tr, ok := typ.Traits()
		if !ok {
			continue
		}
		checked++
		if uint64(tr.BlockSize) != l.blockSize || uint64(tr.TypeSize) != l.typeSize {
			t.Errorf("%v: quant says block %d type size %d, layouts say %d, %d", typ, tr.BlockSize, tr.TypeSize, l.blockSize, l.typeSize)
		}
		n := 3 * int(l.blockSize)
		got, err := quant.RowSize(typ, n)
		size, err2 := TensorSize(typ, []uint64{uint64(n)})
		if err != nil || err2 != nil || uint64(got) != size {
			t.Errorf("%v: quant.RowSize(%d) = %d, %v; TensorSize = %d, %v", typ, n, got, err, size, err2)
		}
	}
	if checked < 13 {
		t.Errorf("only %d types checked against ggml/quant, want the 13 weight types at least", checked)
	}
}
