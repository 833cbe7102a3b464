// Package csprng is the kernel's cryptographically secure random number
// generator: ChaCha20 (RFC 8439) keyed from the CPU's entropy source
// (RDSEED, else RDRAND), rekeyed from its own output after every request
// (fast key erasure) and reseeded from hardware every 1 MiB of output.
// getrandom(2) and through it crypto/rand draw from it.
//
// A Generator does not allocate and has no lock: the caller serializes (the
// runtime host calls it under its lock).
package csprng

import (
	"encoding/binary"
	"math/bits"
)

// Entropy returns 64 bits from a hardware source; ok is false if none
// delivered. kernel/runtimehost wires RDSEED/RDRAND in.
type Entropy func() (v uint64, ok bool)

// Generator is a ChaCha20 keystream generator. The zero value is unseeded.
type Generator struct {
	key       [8]uint32
	counter   uint64
	sinceSeed uint64 // bytes produced since the last hardware reseed
	seeded    bool
}

const reseedBytes = 1 << 20

// Seed mixes 256 bits from src (plus whatever jitter is passed) into the
// key. It reports whether src delivered all of them.
func (g *Generator) Seed(src Entropy, jitter uint64) bool {
	full := true
	for i := 0; i < 4; i++ {
		v, ok := src()
		if !ok {
			full = false
		}
		g.key[2*i] ^= uint32(v)
		g.key[2*i+1] ^= uint32(v >> 32)
	}
	g.key[0] ^= uint32(jitter)
	g.key[1] ^= uint32(jitter >> 32)
	// Stir so that the key depends on every input bit.
	var blk [64]byte
	g.block(&blk)
	for i := range g.key {
		g.key[i] = binary.LittleEndian.Uint32(blk[4*i:])
	}
	clear(blk[:])
	g.seeded, g.sinceSeed = true, 0
	return full
}

// Read fills b with random bytes, reseeding from src when due, and then
// replaces the key with fresh keystream so that earlier output cannot be
// recomputed from the state.
func (g *Generator) Read(b []byte, src Entropy, jitter uint64) {
	if !g.seeded || g.sinceSeed >= reseedBytes {
		g.Seed(src, jitter)
	}
	var blk [64]byte
	for len(b) > 0 {
		g.block(&blk)
		n := copy(b, blk[:])
		b = b[n:]
		g.sinceSeed += uint64(n)
	}
	g.block(&blk)
	for i := range g.key {
		g.key[i] = binary.LittleEndian.Uint32(blk[4*i:])
	}
	clear(blk[:])
}

// block writes the next keystream block (ChaCha20 with a 64-bit counter
// and zero nonce) into out.
func (g *Generator) block(out *[64]byte) {
	var in [16]uint32
	in[0], in[1], in[2], in[3] = 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	copy(in[4:12], g.key[:])
	in[12], in[13] = uint32(g.counter), uint32(g.counter>>32)
	g.counter++
	Block(&in, out)
}

// Block computes the ChaCha20 block function (RFC 8439 §2.3) of the state
// in and writes the serialized result to out.
func Block(in *[16]uint32, out *[64]byte) {
	x := *in
	for i := 0; i < 10; i++ {
		qr(&x, 0, 4, 8, 12)
		qr(&x, 1, 5, 9, 13)
		qr(&x, 2, 6, 10, 14)
		qr(&x, 3, 7, 11, 15)
		qr(&x, 0, 5, 10, 15)
		qr(&x, 1, 6, 11, 12)
		qr(&x, 2, 7, 8, 13)
		qr(&x, 3, 4, 9, 14)
	}
	for i := range x {
		binary.LittleEndian.PutUint32(out[4*i:], x[i]+in[i])
	}
}

func qr(x *[16]uint32, a, b, c, d int) {
	x[a] += x[b]
	x[d] = bits.RotateLeft32(x[d]^x[a], 16)
	x[c] += x[d]
	x[b] = bits.RotateLeft32(x[b]^x[c], 12)
	x[a] += x[b]
	x[d] = bits.RotateLeft32(x[d]^x[a], 8)
	x[c] += x[d]
	x[b] = bits.RotateLeft32(x[b]^x[c], 7)
}
