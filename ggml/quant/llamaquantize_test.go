package quant

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"testing"
)

// f32ModelPath is the F32 model that llama-quantize turned into the files
// whose rows dequant.jsonl holds (README: "llama-quantize --pure").
const f32ModelPath = "../../testdata/golden/qwen3-small-F32.gguf"

// readF32Tensor returns the first n float32 values of the named F32 tensor
// of a GGUF v3 file. It is a minimal reader for this test only (the real
// one is ggml/gguf, which imports this package).
func readF32Tensor(path, name string, n int) ([]float32, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := bytes.NewReader(data)
	var hdr struct {
		Magic    [4]byte
		Version  uint32
		NTensors uint64
		NKV      uint64
	}
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return nil, err
	}
	if string(hdr.Magic[:]) != "GGUF" || hdr.Version != 3 {
		return nil, fmt.Errorf("%s: not GGUF v3", path)
	}
	u32 := func() uint32 { var v uint32; binary.Read(r, binary.LittleEndian, &v); return v }
	u64 := func() uint64 { var v uint64; binary.Read(r, binary.LittleEndian, &v); return v }
	str := func() string { b := make([]byte, u64()); io.ReadFull(r, b); return string(b) }
	sizes := map[uint32]int64{0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
	var skip func(typ uint32) error
	skip = func(typ uint32) error {
		switch typ {
		case 8:
			str()
		case 9:
			et, cnt := u32(), u64()
			for i := uint64(0); i < cnt; i++ {
				if err := skip(et); err != nil {
					return err
				}
			}
		default:
			sz, ok := sizes[typ]
			if !ok {
				return fmt.Errorf("bad value type %d", typ)
			}
			r.Seek(sz, io.SeekCurrent)
		}
		return nil
	}
	for i := uint64(0); i < hdr.NKV; i++ {
		str()
		if err := skip(u32()); err != nil {
			return nil, err
		}
	}
	var off uint64
	found := false
	for i := uint64(0); i < hdr.NTensors; i++ {
		nm := str()
		nd := u32()
		for j := uint32(0); j < nd; j++ {
			u64()
		}
		typ, o := u32(), u64()
		if nm == name {
			if typ != uint32(F32) {
				return nil, fmt.Errorf("%s is %v, not f32", name, Type(typ))
			}
			off, found = o, true
		}
	}
	if !found {
		return nil, fmt.Errorf("%s: no tensor %s", path, name)
	}
	pos, _ := r.Seek(0, io.SeekCurrent)
	start := (uint64(pos)+31)/32*32 + off
	if start+uint64(4*n) > uint64(len(data)) {
		return nil, fmt.Errorf("%s: tensor %s past end of file", path, name)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[start+uint64(4*i):]))
	}
	return out, nil
}

// TestQuantizeLikeLlamaQuantize quantizes the F32 source rows of
// dequant.jsonl (blk.0.ffn_down.weight rows 0 and 1 of qwen3-small) and
// compares with what llama-quantize stored. The float and 32-block
// formats use ggml's reference algorithm here and must give the same
// bytes. The K-quants use this package's own search: their RMS error must
// be within 5% of llama-quantize's on the same rows (and is reported).
func TestQuantizeLikeLlamaQuantize(t *testing.T) {
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := readF32Tensor(f32ModelPath, "blk.0.ffn_down.weight", 2*768)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var g goldenLine
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		typ, err := ParseType(g.Type)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(g.Type, func(t *testing.T) {
			tr, _ := typ.Traits()
			exact := tr.BlockSize <= qk
			for _, r := range g.Rows {
				x := src[r.Row*g.RowLength : (r.Row+1)*g.RowLength]
				want, _ := hex.DecodeString(r.RawHex)
				got := make([]byte, g.RowBytes)
				if err := Quantize(typ, x, got); err != nil {
					t.Fatal(err)
				}
				if exact {
					if !bytes.Equal(got, want) {
						i := 0
						for got[i] == want[i] {
							i++
						}
						t.Errorf("row %d: bytes differ from llama-quantize's from offset %d", r.Row, i)
					}
					continue
				}
				mine := make([]float32, len(x))
				theirs := make([]float32, len(x))
				Dequantize(typ, got, mine)
				Dequantize(typ, want, theirs)
				em, et := rms(x, mine), rms(x, theirs)
				t.Logf("row %d: rms error %.4g (llama-quantize %.4g, ratio %.3f)", r.Row, em, et, em/et)
				if em > 1.05*et {
					t.Errorf("row %d: rms error %.4g, more than 1.05x llama-quantize's %.4g", r.Row, em, et)
				}
			}
		})
	}
}
