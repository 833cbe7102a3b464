package gguf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/limnx/limnx/ggml/quant"
)

// sampleKVs returns metadata of every value type, nested arrays included.
func sampleKVs(t testing.TB) []KV {
	nested, err := Array(TypeArray, []Value{Numbers([]int32{1, -2}), Strings([]string{"x"}), Numbers([]float64{})})
	if err != nil {
		t.Fatal(err)
	}
	deep, err := Array(TypeArray, []Value{nested})
	if err != nil {
		t.Fatal(err)
	}
	bools, err := Array(TypeBool, []Value{Bool(true), Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	return []KV{
		{"general.architecture", String("qwen3")},
		{"u8", Uint8(200)}, {"i8", Int8(-100)}, {"u16", Uint16(60000)}, {"i16", Int16(-30000)},
		{"u32", Uint32(4000000000)}, {"i32", Int32(-2000000000)},
		{"u64", Uint64(math.MaxUint64)}, {"i64", Int64(math.MinInt64)},
		{"f32", Float32(1e-6)}, {"f64", Float64(math.Pi)}, {"bool", Bool(true)},
		{"empty", String("")}, {"utf8", String("héllo ▁ 🙂")},
		{"strings", Strings([]string{"a", "", "<|im_end|>"})},
		{"f32s", Numbers([]float32{0, -1.5, float32(math.Inf(1))})},
		{"i32s", Numbers([]int32{math.MinInt32, 0, math.MaxInt32})},
		{"u8s", Numbers([]uint8{1, 2, 3})}, {"u64s", Numbers([]uint64{1 << 40})},
		{"bools", bools}, {"nested", nested}, {"deep", deep},
		{"empty_array", Strings(nil)},
	}
}

// sampleTensor is a tensor for round trips.
type sampleTensor struct {
	name string
	typ  quant.Type
	dims []uint64
}

var sampleTensors = []sampleTensor{
	{"token_embd.weight", quant.Q8_0, []uint64{64, 3}},
	{"norm.weight", quant.F32, []uint64{7}},
	{"blk.0.ffn_down.weight", quant.Q4_K, []uint64{256, 2}},
	{"scalar", quant.F16, nil},
	{"x4", quant.BF16, []uint64{2, 1, 3, 2}},
}

// fill returns n bytes of a pattern that depends on seed.
func fill(n uint64, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

// writeSample writes sampleKVs and sampleTensors, adding the tensors in turn
// through AddTensor, AddTensorFunc and AddTensorReader.
func writeSample(t testing.TB, align int) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, kv := range sampleKVs(t) {
		w.Set(kv.Key, kv.Value)
	}
	if align != 0 {
		w.Set(KeyAlignment, Uint32(uint32(align)))
	}
	for i, st := range sampleTensors {
		size, err := TensorSize(st.typ, st.dims)
		if err != nil {
			t.Fatal(err)
		}
		data := fill(size, byte(i))
		switch i % 3 {
		case 0:
			err = w.AddTensor(st.name, st.typ, st.dims, data)
		case 1:
			err = w.AddTensorFunc(st.name, st.typ, st.dims, func(dst io.Writer) error {
				// Write in two pieces to show the writer copes with partial writes.
				if _, err := dst.Write(data[:len(data)/2]); err != nil {
					return err
				}
				_, err := dst.Write(data[len(data)/2:])
				return err
			})
		case 2:
			err = w.AddTensorReader(st.name, st.typ, st.dims, io.MultiReader(bytes.NewReader(data), strings.NewReader("extra")))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for _, align := range []int{0, 1, 64, 4096} {
		t.Run(fmt.Sprintf("align%d", align), func(t *testing.T) {
			raw := writeSample(t, align)
			f, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			wantAlign := align
			if align == 0 {
				wantAlign = DefaultAlignment
			}
			if f.Version != 3 || f.Alignment != wantAlign || f.DataOffset%int64(wantAlign) != 0 {
				t.Errorf("version %d alignment %d data offset %d", f.Version, f.Alignment, f.DataOffset)
			}
			kvs := sampleKVs(t)
			if align != 0 {
				kvs = append(kvs, KV{KeyAlignment, Uint32(uint32(align))})
			}
			if len(f.KV) != len(kvs) {
				t.Fatalf("%d kvs, want %d", len(f.KV), len(kvs))
			}
			for i, want := range kvs {
				got := f.KV[i]
				if got.Key != want.Key || got.Value.Type != want.Value.Type || got.Value.Elem != want.Value.Elem ||
					got.Value.Len() != want.Value.Len() || !bytes.Equal(got.Value.raw, want.Value.raw) {
					t.Errorf("kv %d: %s = %v, want %s = %v", i, got.Key, got.Value, want.Key, want.Value)
				}
			}
			for i, st := range sampleTensors {
				ti, data, ok := f.Tensor(st.name)
				if !ok {
					t.Fatalf("tensor %s missing", st.name)
				}
				if ti.Type != st.typ || !equalDims(ti.Dims, st.dims) || ti.Offset%uint64(wantAlign) != 0 {
					t.Errorf("tensor %s: %v %v offset %d", st.name, ti.Type, ti.Dims, ti.Offset)
				}
				if ti.NumElements()*ti.Rows() == 0 || ti.Rows() > ti.NumElements() {
					t.Errorf("tensor %s: %d elements in %d rows", st.name, ti.NumElements(), ti.Rows())
				}
				if !bytes.Equal(data, fill(ti.Size, byte(i))) {
					t.Errorf("tensor %s: data differs", st.name)
				}
			}
		})
	}
}

func TestAccessors(t *testing.T) {
	f, err := Parse(writeSample(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want any, ok bool) {
		t.Helper()
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v (%v), want %v", name, got, ok, want)
		}
	}
	s, ok := f.String("utf8")
	check("String(utf8)", s, "héllo ▁ 🙂", ok)
	u, ok := f.Uint("u64")
	check("Uint(u64)", u, uint64(math.MaxUint64), ok)
	u, ok = f.Uint("u8")
	check("Uint(u8)", u, uint64(200), ok)
	i, ok := f.Int("i64")
	check("Int(i64)", i, int64(math.MinInt64), ok)
	i, ok = f.Int("i8")
	check("Int(i8)", i, int64(-100), ok)
	i, ok = f.Int("u32")
	check("Int(u32)", i, int64(4000000000), ok)
	x, ok := f.Float("f64")
	check("Float(f64)", x, math.Pi, ok)
	x, ok = f.Float("f32")
	check("Float(f32)", x, float64(float32(1e-6)), ok)
	b, ok := f.Bool("bool")
	check("Bool", b, true, ok)
	ss, ok := f.Strings("strings")
	check("Strings", ss, []string{"a", "", "<|im_end|>"}, ok)
	fs, ok := f.Float32s("f32s")
	check("Float32s", fs, []float32{0, -1.5, float32(math.Inf(1))}, ok)
	is, ok := f.Int32s("i32s")
	check("Int32s(i32s)", is, []int32{math.MinInt32, 0, math.MaxInt32}, ok)
	is, ok = f.Int32s("u8s")
	check("Int32s(u8s)", is, []int32{1, 2, 3}, ok)
	ss, ok = f.Strings("empty_array")
	check("Strings(empty)", ss, []string{}, ok)

	v, _ := f.Lookup("deep")
	outer, ok := v.AsArray()
	if !ok || len(outer) != 1 {
		t.Fatalf("deep: %v %v", outer, ok)
	}
	inner, ok := outer[0].AsArray()
	if !ok || len(inner) != 3 {
		t.Fatalf("deep[0]: %v %v", inner, ok)
	}
	is, ok = inner[0].AsInt32s()
	check("deep[0][0]", is, []int32{1, -2}, ok)
	ss, ok = inner[1].AsStrings()
	check("deep[0][1]", ss, []string{"x"}, ok)
	if inner[2].Len() != 0 || inner[2].Elem != TypeFloat64 {
		t.Errorf("deep[0][2] = %v", inner[2])
	}
	if got := v.String(); got != `[1 x array] [[3 x array] [[2 x i32] [1 -2] [1 x string] ["x"] [0 x f64] []]]` {
		t.Errorf("deep.String() = %s", got)
	}

	// Wrong types and out-of-range conversions report false.
	negatives := []struct {
		name string
		ok   bool
	}{
		{"Uint(i8 negative)", second(f.Uint("i8"))},
		{"Int(u64 max)", second(f.Int("u64"))},
		{"String(u8)", second(f.String("u8"))},
		{"Float(i32)", second(f.Float("i32"))},
		{"Bool(u8)", second(f.Bool("u8"))},
		{"Strings(i32s)", second(f.Strings("i32s"))},
		{"Float32s(i32s)", second(f.Float32s("i32s"))},
		{"Int32s(u64s)", second(f.Int32s("u64s"))},
		{"Int32s(f32s)", second(f.Int32s("f32s"))},
		{"Int32s(strings)", second(f.Int32s("strings"))},
		{"Uint(missing)", second(f.Uint("missing"))},
		{"Lookup(missing)", second(f.Lookup("missing"))},
	}
	for _, n := range negatives {
		if n.ok {
			t.Errorf("%s reported ok", n.name)
		}
	}
	if _, _, ok := f.Tensor("missing"); ok {
		t.Error("Tensor(missing) reported ok")
	}
}

func second[T any](_ T, ok bool) bool { return ok }

func TestWriterErrors(t *testing.T) {
	w := NewWriter(io.Discard)
	if err := w.AddTensor("a", quant.F32, []uint64{4}, make([]byte, 16)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want error // nil: any error
	}{
		{"duplicate", w.AddTensor("a", quant.F32, []uint64{4}, make([]byte, 16)), ErrDuplicate},
		{"short data", w.AddTensor("b", quant.F32, []uint64{4}, make([]byte, 15)), nil},
		{"bad row length", w.AddTensor("c", quant.Q4_K, []uint64{255}, nil), ErrShape},
		{"unknown type", w.AddTensor("d", quant.Type(4), []uint64{32}, nil), ErrTensorType},
		{"five dims", w.AddTensor("e", quant.F32, []uint64{1, 1, 1, 1, 1}, nil), ErrShape},
		{"overflow", w.AddTensor("f", quant.F32, []uint64{1 << 62, 1 << 10}, nil), ErrTooLarge},
	}
	for _, tc := range tests {
		if tc.err == nil || (tc.want != nil && !errors.Is(tc.err, tc.want)) {
			t.Errorf("%s: err = %v, want %v", tc.name, tc.err, tc.want)
		}
	}

	// A data source that writes the wrong amount, or fails, makes Close fail and
	// names the tensor.
	sources := []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"short", func(w io.Writer) error { _, err := w.Write(make([]byte, 3)); return err }},
		{"long", func(w io.Writer) error { _, err := w.Write(make([]byte, 5)); return err }},
		{"failing", func(io.Writer) error { return errors.New("disk on fire") }},
	}
	for _, src := range sources {
		w := NewWriter(io.Discard)
		if err := w.AddTensorFunc("t_"+src.name, quant.I32, []uint64{1}, src.fn); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err == nil || !strings.Contains(err.Error(), "t_"+src.name) {
			t.Errorf("%s source: Close = %v", src.name, err)
		}
	}
	w = NewWriter(io.Discard)
	if err := w.AddTensorReader("r", quant.F32, []uint64{8}, strings.NewReader("short")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short reader: Close = %v", err)
	}
	w = NewWriter(io.Discard)
	w.Set(KeyAlignment, Uint32(48))
	if err := w.Close(); !errors.Is(err, ErrAlignment) {
		t.Errorf("alignment 48: Close = %v", err)
	}
}

func TestWriterSetDelete(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Set("a", Uint32(1))
	w.Set("b", Uint32(2))
	w.Set("c", Uint32(3))
	w.Set("a", String("one")) // replaces in place
	w.Delete("b")
	w.Delete("missing")
	w.Set("d", Uint32(4))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kv := range f.KV {
		keys = append(keys, kv.Key+"="+kv.Value.String())
	}
	if got := strings.Join(keys, " "); got != `a="one" c=3 d=4` {
		t.Errorf("kvs: %s", got)
	}
}

func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.gguf")
	if err := os.WriteFile(good, writeSample(t, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(good)
	if err != nil {
		t.Fatal(err)
	}
	if _, data, ok := f.Tensor("norm.weight"); !ok || !bytes.Equal(data, fill(28, 1)) {
		t.Errorf("norm.weight: %v %v", data, ok)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"short", []byte("GGUF\x03\x00"), ErrTruncated},
		{"magic", []byte("GGML, not GGUF, and long enough to map"), ErrBadMagic},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(p); !errors.Is(err, tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: Open = %v, want %v naming the file", tc.name, err, tc.want)
		}
	}
	if _, err := Open(filepath.Join(dir, "absent")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent: Open = %v", err)
	}
	if _, err := Open(dir); err == nil {
		t.Error("Open(directory) succeeded")
	}
}
