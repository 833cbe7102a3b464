package quant

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"testing"
)

// goldenPath is dequant.jsonl relative to this package (module root
// testdata/golden).
const goldenPath = "../../testdata/golden/dequant.jsonl"

type goldenLine struct {
	Model     string `json:"model"`
	Type      string `json:"type"`
	RowLength int    `json:"row_length"`
	RowBytes  int    `json:"row_bytes"`
	BlockSize int    `json:"block_size"`
	TypeSize  int    `json:"type_size"`
	Rows      []struct {
		Row    int    `json:"row"`
		RawHex string `json:"raw_hex"`
		F32Hex string `json:"values_f32le_hex"`
	} `json:"rows"`
}

// TestDequantizeGolden checks every row of dequant.jsonl bit for bit,
// including the sign of zero: ggml yields -0.0 where a negative scale
// multiplies a zero quant, and so must we.
func TestDequantizeGolden(t *testing.T) {
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	seen := map[Type]bool{}
	for sc.Scan() {
		var g goldenLine
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		typ, err := ParseType(g.Type)
		if err != nil {
			t.Fatal(err)
		}
		seen[typ] = true
		t.Run(g.Type, func(t *testing.T) {
			tr, ok := typ.Traits()
			if !ok {
				t.Fatalf("%v unsupported", typ)
			}
			if tr.BlockSize != g.BlockSize || tr.TypeSize != g.TypeSize || typ.String() != g.Type {
				t.Fatalf("traits %s/%d/%d, golden %s/%d/%d", tr.Name, tr.BlockSize, tr.TypeSize, g.Type, g.BlockSize, g.TypeSize)
			}
			if n, err := RowSize(typ, g.RowLength); err != nil || n != g.RowBytes {
				t.Fatalf("RowSize = %d, %v; want %d", n, err, g.RowBytes)
			}
			for _, r := range g.Rows {
				raw, err := hex.DecodeString(r.RawHex)
				if err != nil {
					t.Fatal(err)
				}
				want, err := hex.DecodeString(r.F32Hex)
				if err != nil {
					t.Fatal(err)
				}
				got := make([]float32, g.RowLength)
				if err := Dequantize(typ, raw, got); err != nil {
					t.Fatal(err)
				}
				bad := 0
				for i, v := range got {
					wb := le32(want[4*i:])
					if math.Float32bits(v) != wb {
						if bad < 5 {
							t.Errorf("row %d elem %d: got %g (%08x), want %g (%08x)", r.Row, i, v, math.Float32bits(v), math.Float32frombits(wb), wb)
						}
						bad++
					}
				}
				if bad > 0 {
					t.Errorf("row %d: %d of %d values differ", r.Row, bad, len(got))
				}
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []Type{F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K} {
		if !seen[typ] {
			t.Errorf("no golden line for %v", typ)
		}
	}
}
