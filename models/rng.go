package main

import (
	"math"
	"math/bits"
)

// rng is wyrand: a 64-bit state advanced by a constant, mixed by one 128-bit
// multiply. It is fast, passes BigCrush, and its output depends only on the
// seed, so models are the same on every machine and Go version.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// splitmix64 scrambles x; it derives independent seeds from (seed, tensor, row).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// rowSeed is the seed of one row of one tensor, so that any row can be made
// alone, in any order, on any goroutine, with the same result.
func rowSeed(seed uint64, tensor, row int) uint64 {
	return splitmix64(splitmix64(splitmix64(seed)^uint64(tensor)) ^ uint64(row))
}

// fillNormal fills dst with N(0, std²) values by the Box-Muller transform:
// from u1 in (0, 1] and u2 in [0, 1), r = sqrt(-2 ln u1) and the pair is
// (r cos 2πu2, r sin 2πu2).
func fillNormal(dst []float32, seed uint64, std float64) {
	r := rng{s: seed}
	const inv53 = 1.0 / (1 << 53)
	for i := 0; i < len(dst); i += 2 {
		u1 := float64(r.next()>>11+1) * inv53
		u2 := float64(r.next()>>11) * inv53
		rad := std * math.Sqrt(-2*math.Log(u1))
		s, c := math.Sincos(2 * math.Pi * u2)
		dst[i] = float32(rad * c)
		if i+1 < len(dst) {
			dst[i+1] = float32(rad * s)
		}
	}
}
