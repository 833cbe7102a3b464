package csprng

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// RFC 8439 §2.3.2: key 00..1f, counter 1, nonce 00:00:00:09:00:00:00:4a:00:00:00:00.
func TestBlockRFC8439(t *testing.T) {
	in := [16]uint32{
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
		0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c,
		0x00000001, 0x09000000, 0x4a000000, 0x00000000,
	}
	var out [64]byte
	Block(&in, &out)
	want := "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
		"d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"
	if got := hex.EncodeToString(out[:]); got != want {
		t.Errorf("block\n got %s\nwant %s", got, want)
	}
}

func counter(start uint64) Entropy {
	v := start
	return func() (uint64, bool) { v++; return v * 0x9e3779b97f4a7c15, true }
}

func TestReadDependsOnSeedAndNeverRepeats(t *testing.T) {
	var a, b Generator
	a.Seed(counter(1), 0)
	b.Seed(counter(2), 0)
	x, y := make([]byte, 100), make([]byte, 100)
	a.Read(x, counter(1), 0)
	b.Read(y, counter(1), 0)
	if bytes.Equal(x, y) {
		t.Fatal("different seeds gave the same output")
	}
	z := make([]byte, 100)
	a.Read(z, counter(1), 0)
	if bytes.Equal(x, z) {
		t.Fatal("two reads gave the same output")
	}
	if bytes.Equal(x, make([]byte, 100)) {
		t.Fatal("output is all zero")
	}
}

func TestReadDeterministicForSameSource(t *testing.T) {
	var a, b Generator
	x, y := make([]byte, 3000), make([]byte, 3000)
	a.Read(x, counter(7), 42)
	b.Read(y, counter(7), 42)
	if !bytes.Equal(x, y) {
		t.Fatal("same seed, different output")
	}
}

func TestBadSourceReported(t *testing.T) {
	var g Generator
	if g.Seed(func() (uint64, bool) { return 0, false }, 1) {
		t.Fatal("Seed reported a failing source as full")
	}
}

func BenchmarkRead(b *testing.B) {
	var g Generator
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(buf)))
	for i := 0; i < b.N; i++ {
		g.Read(buf, counter(1), 0)
	}
}
