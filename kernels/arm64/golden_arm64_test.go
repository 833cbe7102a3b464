package arm64_test

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// TestDotGolden checks every kernel against llama.cpp itself: dequant.jsonl
// holds rows of real weights with ggml's dequantization of them. For an
// activation row x that is exact in the kernel's activation format, the
// kernel's dot product must equal sum(dequant(w)[i] * x[i]) within rtol.
func TestDotGolden(t *testing.T) {
	f, err := os.Open("../../testdata/golden/dequant.jsonl")
	if err != nil {
		t.Fatalf("golden data: %v", err)
	}
	defer f.Close()
	byType := map[string]kernel{}
	for _, k := range kernels {
		byType[map[string]string{"Q2_K": "q2_K", "Q3_K": "q3_K", "Q4_K": "q4_K", "Q5_K": "q5_K", "Q6_K": "q6_K",
			"Q8_0": "q8_0", "Q4_0": "q4_0", "Q4_1": "q4_1", "Q5_0": "q5_0", "Q5_1": "q5_1",
			"F16": "f16", "BF16": "bf16", "F32": "f32"}[k.name]] = k
	}
	seen := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var line struct {
			Type      string `json:"type"`
			RowLength int    `json:"row_length"`
			Rows      []struct {
				Raw    string `json:"raw_hex"`
				Values string `json:"values_f32le_hex"`
			} `json:"rows"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("dequant.jsonl: %v", err)
		}
		k, ok := byType[line.Type]
		if !ok {
			t.Errorf("no kernel for golden type %s", line.Type)
			continue
		}
		seen++
		n := line.RowLength
		r := rand.New(rand.NewPCG(5, uint64(n)))
		for i, row := range line.Rows {
			w, err1 := hex.DecodeString(row.Raw)
			vb, err2 := hex.DecodeString(row.Values)
			if err1 != nil || err2 != nil || len(vb) != 4*n {
				t.Fatalf("%s row %d: bad hex", line.Type, i)
			}
			x, act := goldenAct(r, k, n)
			var want, mag float64
			for j := 0; j < n; j++ {
				p := float64(math.Float32frombits(binary.LittleEndian.Uint32(vb[4*j:]))) * x[j]
				want += p
				mag += math.Abs(p)
			}
			both(t, func(t testing.TB, path string) {
				got := k.dot(n, w, act)
				if d := math.Abs(float64(got) - want); !(d <= rtol*mag) {
					t.Errorf("%s %s row %d: got %v, llama.cpp dequant gives %v (|diff| %g > %g)",
						k.name, path, i, got, want, d, rtol*mag)
				}
			})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != 12 {
		t.Errorf("checked %d golden types, want 12", seen)
	}
}

// goldenAct returns an activation row x and its encoding in k's activation
// format, chosen so that the encoding is exact: quants in [-10, 10] times
// d = 2^-6 (so Q8_1's s = d*sum(q) is exact in F16 too), or small halves.
func goldenAct(r *rand.Rand, k kernel, n int) ([]float64, []byte) {
	x := make([]float64, n)
	act := make([]byte, n/k.blockSize*k.aSize)
	const d = 1.0 / 64
	switch k.act {
	case actF16, actBF16, actF32:
		for j := range x {
			q := r.IntN(21) - 10
			x[j] = float64(q) * d
			switch k.act {
			case actF16:
				putHalf(act[2*j:], halfOf(x[j]))
			case actBF16:
				binary.LittleEndian.PutUint16(act[2*j:], uint16(math.Float32bits(float32(x[j]))>>16))
			default:
				binary.LittleEndian.PutUint32(act[4*j:], math.Float32bits(float32(x[j])))
			}
		}
		return x, act
	}
	for b := 0; b < n/k.blockSize; b++ {
		y := act[b*k.aSize : (b+1)*k.aSize]
		qs := y[k.aSize-k.blockSize:]
		if k.act == actQ8_K {
			qs = y[4:260]
		}
		sum := 0
		for j := range qs {
			q := r.IntN(21) - 10
			qs[j] = byte(int8(q))
			x[b*k.blockSize+j] = float64(q) * d
			sum += q
		}
		switch k.act {
		case actQ8_0:
			putHalf(y, halfOf(d))
		case actQ8_1:
			putHalf(y, halfOf(d))
			putHalf(y[2:], halfOf(d*float64(sum)))
		case actQ8_K:
			binary.LittleEndian.PutUint32(y, math.Float32bits(d))
			for j := 0; j < 16; j++ {
				s := 0
				for l := 0; l < 16; l++ {
					s += int(int8(qs[16*j+l]))
				}
				binary.LittleEndian.PutUint16(y[260+2*j:], uint16(int16(s)))
			}
		}
	}
	return x, act
}
