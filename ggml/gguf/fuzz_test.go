package gguf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var updateSeeds = flag.Bool("update", false, "rewrite the FuzzParse seed corpus in testdata/fuzz/FuzzParse")

var sentinels = []error{ErrBadMagic, ErrVersion, ErrTruncated, ErrTooLarge, ErrValueType, ErrDuplicate, ErrAlignment, ErrTensorType, ErrShape}

// FuzzParse checks that Parse returns an error wrapping a sentinel or a File, never
// panics, and that a File it accepts can be read through every accessor and
// written back by Writer into a file that parses to the same metadata and tensors.
func FuzzParse(f *testing.F) {
	// The corpus in testdata/fuzz/FuzzParse holds small valid files and cuts of
	// them (see TestFuzzSeeds); add the in-memory sample too.
	f.Add(writeSample(f, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		for _, kv := range file.KV {
			exercise(kv.Value)
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		for _, kv := range file.KV {
			w.Set(kv.Key, kv.Value)
		}
		for i := range file.Tensors {
			ti := &file.Tensors[i]
			if ti.Rows() > ti.NumElements() && ti.NumElements() != 0 {
				t.Fatalf("tensor %d: %d rows of %d elements", i, ti.Rows(), ti.NumElements())
			}
			if err := w.AddTensor(ti.Name, ti.Type, ti.Dims, file.TensorData(ti)); err != nil {
				t.Fatalf("Writer refused tensor %d that Parse accepted: %v", i, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatalf("Writer refused a file Parse accepted: %v", err)
		}
		again, err := Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v", err)
		}
		if len(again.KV) != len(file.KV) || len(again.Tensors) != len(file.Tensors) || again.Alignment != file.Alignment {
			t.Fatalf("rewritten file has %d kvs, %d tensors, alignment %d; want %d, %d, %d",
				len(again.KV), len(again.Tensors), again.Alignment, len(file.KV), len(file.Tensors), file.Alignment)
		}
		for i, kv := range file.KV {
			got := again.KV[i]
			if got.Key != kv.Key || got.Value.Type != kv.Value.Type || got.Value.Elem != kv.Value.Elem ||
				got.Value.Len() != kv.Value.Len() || !bytes.Equal(got.Value.raw, kv.Value.raw) {
				t.Fatalf("kv %d changed: %q=%v became %q=%v", i, kv.Key, kv.Value, got.Key, got.Value)
			}
		}
		for i := range file.Tensors {
			a, b := &file.Tensors[i], &again.Tensors[i]
			if a.Name != b.Name || a.Type != b.Type || !equalDims(a.Dims, b.Dims) || !bytes.Equal(file.TensorData(a), again.TensorData(b)) {
				t.Fatalf("tensor %d changed", i)
			}
		}
	})
}

// exercise calls every accessor on v and its elements; only panics matter.
func exercise(v Value) {
	_ = v.String()
	v.AsUint()
	v.AsInt()
	v.AsFloat()
	v.AsBool()
	v.AsString()
	v.AsStrings()
	v.AsFloat32s()
	v.AsInt32s()
	v.EachString(func(int, []byte) {})
	if elems, ok := v.AsArray(); ok {
		for _, e := range elems {
			exercise(e)
		}
	}
}

// TestFuzzSeeds checks the committed seed corpus is there (go test runs it as part
// of FuzzParse) and, with -update, rewrites it: small valid files of each shape
// and cuts of them at interesting places.
func TestFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	if !*updateSeeds {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) < 10 {
			t.Fatalf("seed corpus %s: %d files, %v; run go test -run TestFuzzSeeds -update", dir, len(entries), err)
		}
		return
	}
	seeds := map[string][]byte{
		"sample":         writeSample(t, 0),
		"sample-align64": writeSample(t, 64),
		"v2":             header(2, 1, 1).kvU32("k", 7).tensor("t", []uint64{8}, 0, 0).data(32, 32),
		"vocab-only":     header(3, 0, 1).kvU32("k", 7),
		"nested":         nestedArrays(header(3, 0, 1).str("k").u32(uint32(TypeArray)), 3),
	}
	full := seeds["sample"]
	parsed, err := Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{3, 10, 23, 40, 200, int(parsed.DataOffset) - 1, int(parsed.DataOffset) + 5, len(full) - 1} {
		seeds[fmt.Sprintf("sample-cut%d", n)] = full[:n]
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
