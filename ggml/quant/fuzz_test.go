package quant

import (
	"testing"
)

// FuzzDequantize feeds arbitrary bytes, element counts and type numbers to
// RowSize, Dequantize, Quantize and, when the lengths are valid, to the
// type's dot product. The property: an error or a result, never a panic.
func FuzzDequantize(f *testing.F) {
	f.Add(uint8(Q4_K), 256, []byte{1, 2, 3})
	f.Add(uint8(Q4_0), 32, make([]byte, 18))
	f.Add(uint8(Q6_K), 256, make([]byte, 210))
	f.Add(uint8(BF16), 3, make([]byte, 6))
	f.Add(uint8(4), 32, make([]byte, 18))
	f.Add(uint8(Q8_K), -256, make([]byte, 292))
	f.Fuzz(func(t *testing.T, typ uint8, n int, data []byte) {
		tt := Type(typ)
		if n > 1<<16 || n < -1<<16 {
			return
		}
		size, err := RowSize(tt, n)
		if err == nil && (size < 0 || n < 0) {
			t.Fatalf("RowSize(%v, %d) = %d, nil", tt, n, size)
		}
		if n < 0 {
			n = -n // exercise Dequantize with a plausible length too
			size, err = RowSize(tt, n)
		}
		dst := make([]float32, n)
		errD := Dequantize(tt, data, dst)
		if errD == nil && (err != nil || len(data) != size) {
			t.Fatalf("Dequantize accepted %d bytes for %d elements of %v", len(data), n, tt)
		}
		src := make([]byte, len(data))
		_ = Quantize(tt, dst, src)
		if errD != nil {
			return
		}
		tr, _ := tt.Traits()
		if tr.RefVecDot == nil {
			return
		}
		act := make([]byte, mustRowSize(t, tr.VecDotType, n))
		_ = QuantizeActivationChecked(tr.VecDotType, dst, act)
		_ = tr.RefVecDot(n, data, act)
	})
}
