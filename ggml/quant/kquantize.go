package quant

import "math"

// Reference quantizers for the K-quants. Each super-block is quantized in
// two passes: first every sub-block gets the float scale (and min) that
// best fits it (fitSym, fitAffine), then those scales are themselves
// quantized to 4, 6 or 8 bits against the super-block's binary16 d (and
// dmin), and the elements are requantized with the scales as stored, so
// that rounding of the scales is compensated where it can be.
//
// Products are rounded with float32(...) before they are added, so that no
// architecture fuses them into multiply-adds (Go may on arm64) and the
// output is the same bytes everywhere.

// nearest rounds v to the nearest integer, ties to even, for |v| < 2^22
// (ggml's nearest_int trick: adding 1.5*2^23 leaves the rounded integer in
// the low mantissa bits).
func nearest(v float32) int {
	return int(int32(math.Float32bits(float32(v)+12582912)&0x7fffff) - 0x400000)
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

// fitSym quantizes x to l[i] in [-nmax, nmax-1] with one scale s, x ≈ s*l,
// minimizing sum w[i]*(x[i]-s*l[i])^2 (w nil means w[i] = x[i]^2). It tries
// the inverse scales -(nmax + 0.1k)/max for k in -nstep..nstep, where max
// is the element of largest magnitude, fits s by least squares for each
// assignment and keeps the best; with refine, it then moves single l[i]
// while that lowers the error. It returns s; l is written as l+nmax
// (0..2nmax-1). len(x) must be at most 32.
func fitSym(x, w []float32, nmax int, l []uint8, nstep int, refine bool) float32 {
	maxv, amax := absMax(x)
	if amax < 1e-30 {
		clear(l[:len(x)])
		return 0
	}
	var wbuf [32]float32
	wt := wbuf[:len(x)]
	for i, v := range x {
		if w == nil {
			wt[i] = v * v
		} else {
			wt[i] = w[i]
		}
	}
	bestIs, bestScore := float32(0), float32(-1)
	for k := -nstep; k <= nstep; k++ {
		is := -(float32(nmax) + float32(0.1*float32(k))) / maxv
		var sumlx, suml2 float32
		for i, v := range x {
			q := float32(clampInt(nearest(is*v), -nmax, nmax-1))
			sumlx += float32(wt[i] * v * q)
			suml2 += float32(wt[i] * q * q)
		}
		// With s = sumlx/suml2 the error is sum w x^2 - sumlx^2/suml2.
		if suml2 > 0 && float32(sumlx*sumlx) > float32(bestScore*suml2) {
			bestIs, bestScore = is, sumlx*sumlx/suml2
		}
	}
	var sumlx, suml2 float32
	for i, v := range x {
		q := clampInt(nearest(bestIs*v), -nmax, nmax-1)
		l[i] = uint8(q + nmax)
		sumlx += float32(wt[i] * v * float32(q))
		suml2 += float32(wt[i] * float32(q*q))
	}
	if refine {
		for pass := 0; pass < 5 && sumlx > 0 && suml2 > 0; pass++ {
			changed := false
			for i, v := range x {
				q := float32(int(l[i]) - nmax)
				slx := sumlx - float32(wt[i]*v*q)
				sl2 := suml2 - float32(wt[i]*q*q)
				if slx <= 0 || sl2 <= 0 {
					continue
				}
				nq := float32(clampInt(nearest(v*sl2/slx), -nmax, nmax-1))
				if nq == q {
					continue
				}
				slx += float32(wt[i] * v * nq)
				sl2 += float32(wt[i] * nq * nq)
				if float32(slx*slx*suml2) > float32(sumlx*sumlx*sl2) {
					l[i] = uint8(int(nq) + nmax)
					sumlx, suml2 = slx, sl2
					changed = true
				}
			}
			if !changed {
				break
			}
		}
	}
	if suml2 == 0 {
		return 0
	}
	return sumlx / suml2
}

// fitAffine quantizes x to l[i] in [0, nmax] with x ≈ s*l - m, s >= 0,
// m >= 0, minimizing sum w[i]*(s*l[i] - m - x[i])^2. It tries the inverse
// scales (nmax + rmin + rdelta*k)/(max-min) for k in 0..nstep, fitting s
// and m by weighted least squares for each assignment, and keeps the best
// (or the plain min/max spread if none is better). It returns s and m.
func fitAffine(x, w []float32, nmax int, l []uint8, rmin, rdelta float32, nstep int) (s, m float32) {
	lo, hi := minMax(x)
	lo = min(lo, 0)
	if hi == lo {
		clear(l[:len(x)])
		return 0, -lo
	}
	var sumW, sumX, sumX2 float32
	for i, v := range x {
		sumW += w[i]
		sumX += float32(w[i] * v)
		sumX2 += float32(w[i] * v * v)
	}
	// sums returns sum w*l, sum w*l^2 and sum w*x*l for the assignment
	// l = round(is*(x-lo)).
	sums := func(is float32) (sumL, sumL2, sumXL float32) {
		for i, v := range x {
			q := float32(clampInt(nearest(is*(v-lo)), 0, nmax))
			sumL += float32(w[i] * q)
			sumL2 += float32(w[i] * q * q)
			sumXL += float32(w[i] * q * v)
		}
		return
	}
	// errOf is sum w*(s*l + m - x)^2, expanded over the sums.
	errOf := func(s, m, sumL, sumL2, sumXL float32) float32 {
		return float32(s*s*sumL2) + float32(2*s*m*sumL) - float32(2*s*sumXL) + float32(m*m*sumW) - float32(2*m*sumX) + sumX2
	}
	bestIs := float32(nmax) / (hi - lo)
	bestS, bestM := 1/bestIs, lo
	sumL, sumL2, sumXL := sums(bestIs)
	bestErr := errOf(bestS, bestM, sumL, sumL2, sumXL)
	for k := 0; k <= nstep; k++ {
		is := (rmin + float32(rdelta*float32(k)) + float32(nmax)) / (hi - lo)
		sumL, sumL2, sumXL := sums(is)
		det := float32(sumW*sumL2) - float32(sumL*sumL)
		if det <= 0 {
			continue
		}
		ts := (float32(sumW*sumXL) - float32(sumX*sumL)) / det
		tm := (float32(sumL2*sumX) - float32(sumL*sumXL)) / det
		if tm > 0 {
			tm = 0
			ts = sumXL / sumL2
		}
		if e := errOf(ts, tm, sumL, sumL2, sumXL); e < bestErr {
			bestIs, bestS, bestM, bestErr = is, ts, tm, e
		}
	}
	for i, v := range x {
		l[i] = uint8(clampInt(nearest(bestIs*(v-lo)), 0, nmax))
	}
	return bestS, -bestM
}

// quantQ2_K: 16 sub-blocks of 16, weights |x|, 4-bit scales and mins.
func quantQ2_K(src []float32, dst []byte) {
	var l [qkK]uint8
	var scales, mins [16]float32
	w := make([]float32, 16)
	for i := 0; i < len(src)/qkK; i++ {
		x := src[i*qkK : i*qkK+qkK]
		b := dst[i*84 : i*84+84]
		var maxS, maxM float32
		for k := 0; k < 16; k++ {
			for j := range w {
				w[j] = abs32(x[16*k+j])
			}
			scales[k], mins[k] = fitAffine(x[16*k:16*k+16], w, 3, l[16*k:], -0.5, 0.1, 15)
			maxS, maxM = max(maxS, scales[k]), max(maxM, mins[k])
		}
		clear(b)
		if maxS > 0 {
			is := 15 / maxS
			for k := range scales {
				b[k] = uint8(min(15, nearest(is*scales[k])))
			}
			put16(b[80:], f32ToF16(maxS/15))
		}
		if maxM > 0 {
			is := 15 / maxM
			for k := range mins {
				b[k] |= uint8(min(15, nearest(is*mins[k]))) << 4
			}
			put16(b[82:], f32ToF16(maxM/15))
		}
		d, dmin := f16ToF32(le16(b[80:])), f16ToF32(le16(b[82:]))
		for k := 0; k < 16; k++ {
			dl := d * float32(b[k]&0xF)
			if dl == 0 {
				clear(l[16*k : 16*k+16])
				continue
			}
			ml := dmin * float32(b[k]>>4)
			for j := 16 * k; j < 16*k+16; j++ {
				l[j] = uint8(clampInt(nearest((x[j]+ml)/dl), 0, 3))
			}
		}
		for h := 0; h < 2; h++ {
			for j := 0; j < 32; j++ {
				e := 128*h + j
				b[16+32*h+j] = l[e] | l[e+32]<<2 | l[e+64]<<4 | l[e+96]<<6
			}
		}
	}
}

// quantQ3_K: 16 sub-blocks of 16 with symmetric 3-bit quants (-4..3),
// signed 6-bit scales.
func quantQ3_K(src []float32, dst []byte) {
	var l [qkK]uint8
	var scales [16]float32
	for i := 0; i < len(src)/qkK; i++ {
		x := src[i*qkK : i*qkK+qkK]
		b := dst[i*110 : i*110+110]
		clear(b)
		var maxS, amaxS float32
		for k := 0; k < 16; k++ {
			scales[k] = fitSym(x[16*k:16*k+16], nil, 4, l[16*k:], 9, true)
			if a := abs32(scales[k]); a > amaxS {
				maxS, amaxS = scales[k], a
			}
		}
		if amaxS < 1e-30 {
			continue
		}
		is := -32 / maxS
		for k := range scales {
			v := uint8(clampInt(nearest(is*scales[k]), -32, 31) + 32)
			if k < 8 {
				b[96+k] |= v & 0xF
			} else {
				b[96+k-8] |= (v & 0xF) << 4
			}
			b[96+8+k%4] |= (v >> 4) << (2 * (k / 4))
		}
		put16(b[108:], f32ToF16(1/is))
		d := f16ToF32(le16(b[108:]))
		for k := 0; k < 16; k++ {
			dl := d * float32(q3Scale(k, b[96:108]))
			for j := 16 * k; j < 16*k+16; j++ {
				q := 4 // zero
				if dl != 0 {
					q = clampInt(nearest(x[j]/dl), -4, 3) + 4
				}
				l[j] = uint8(q)
			}
		}
		for e := 0; e < qkK; e++ {
			h, s, j := e/128, (e/32)%4, e%32
			q := l[e]
			if q >= 4 {
				b[j] |= 1 << (4*h + s)
				q -= 4
			}
			b[32+32*h+j] |= q << (2 * s)
		}
	}
}

// quantK4 fits the 8 sub-blocks of 32 of a q4_K/q5_K super-block with
// q in 0..nmax and packs the 6-bit scales and mins into b[4:16] and d,
// dmin into b[0:4]. It returns the requantized elements in l.
func quantK4(x []float32, b []byte, nmax int, rmin float32, nstep int, l []uint8) {
	var scales, mins [8]float32
	var sumX2 float32
	for _, v := range x {
		sumX2 += float32(v * v)
	}
	av := float32(math.Sqrt(float64(sumX2 / qkK)))
	var w [32]float32
	var maxS, maxM float32
	for j := 0; j < 8; j++ {
		for k := range w {
			w[k] = av + abs32(x[32*j+k])
		}
		scales[j], mins[j] = fitAffine(x[32*j:32*j+32], w[:], nmax, l[32*j:], rmin, 0.1, nstep)
		maxS, maxM = max(maxS, scales[j]), max(maxM, mins[j])
	}
	var invS, invM float32
	if maxS > 0 {
		invS = 63 / maxS
	}
	if maxM > 0 {
		invM = 63 / maxM
	}
	s := b[4:16]
	clear(s)
	for j := 0; j < 8; j++ {
		ls := uint8(min(63, nearest(invS*scales[j])))
		lm := uint8(min(63, nearest(invM*mins[j])))
		if j < 4 {
			s[j] = ls
			s[j+4] = lm
		} else {
			s[j+4] = ls&0xF | (lm&0xF)<<4
			s[j-4] |= (ls >> 4) << 6
			s[j] |= (lm >> 4) << 6
		}
	}
	put16(b, f32ToF16(maxS/63))
	put16(b[2:], f32ToF16(maxM/63))
	d, dmin := f16ToF32(le16(b)), f16ToF32(le16(b[2:]))
	for j := 0; j < 8; j++ {
		sc, m := scaleMinK4(j, s)
		dl := d * float32(sc)
		if dl == 0 {
			clear(l[32*j : 32*j+32])
			continue
		}
		ml := dmin * float32(m)
		for k := 32 * j; k < 32*j+32; k++ {
			l[k] = uint8(clampInt(nearest((x[k]+ml)/dl), 0, nmax))
		}
	}
}

// quantQ4_K: 8 sub-blocks of 32, weights av + |x| (av = RMS of the
// super-block), 6-bit scales and mins.
func quantQ4_K(src []float32, dst []byte) {
	var l [qkK]uint8
	for i := 0; i < len(src)/qkK; i++ {
		x := src[i*qkK : i*qkK+qkK]
		b := dst[i*144 : i*144+144]
		quantK4(x, b, 15, -1, 20, l[:])
		for c := 0; c < 4; c++ {
			for j := 0; j < 32; j++ {
				b[16+32*c+j] = l[64*c+j] | l[64*c+32+j]<<4
			}
		}
	}
}

// quantQ5_K: as quantQ4_K with 5-bit quants.
func quantQ5_K(src []float32, dst []byte) {
	var l [qkK]uint8
	for i := 0; i < len(src)/qkK; i++ {
		x := src[i*qkK : i*qkK+qkK]
		b := dst[i*176 : i*176+176]
		quantK4(x, b, 31, -0.5, 15, l[:])
		qh := b[16:48]
		clear(qh)
		for c := 0; c < 4; c++ {
			for j := 0; j < 32; j++ {
				q1, q2 := l[64*c+j], l[64*c+32+j]
				b[48+32*c+j] = q1&0xF | (q2&0xF)<<4
				qh[j] |= (q1>>4)<<(2*c) | (q2>>4)<<(2*c+1)
			}
		}
	}
}

// quantQ6_K: 16 sub-blocks of 16 with symmetric 6-bit quants (-32..31),
// int8 scales.
func quantQ6_K(src []float32, dst []byte) {
	var l [qkK]uint8
	var scales [16]float32
	for i := 0; i < len(src)/qkK; i++ {
		x := src[i*qkK : i*qkK+qkK]
		b := dst[i*210 : i*210+210]
		clear(b)
		var maxS, amaxS float32
		for k := 0; k < 16; k++ {
			scales[k] = fitSym(x[16*k:16*k+16], nil, 32, l[16*k:], 9, false)
			if a := abs32(scales[k]); a > amaxS {
				maxS, amaxS = scales[k], a
			}
		}
		if amaxS < 1e-30 {
			continue
		}
		is := -128 / maxS
		for k := range scales {
			b[192+k] = byte(int8(min(127, nearest(is*scales[k]))))
		}
		put16(b[208:], f32ToF16(1/is))
		d := f16ToF32(le16(b[208:]))
		for k := 0; k < 16; k++ {
			dl := d * float32(int8(b[192+k]))
			for j := 16 * k; j < 16*k+16; j++ {
				q := 32 // zero
				if dl != 0 {
					q = clampInt(nearest(x[j]/dl), -32, 31) + 32
				}
				l[j] = uint8(q)
			}
		}
		for e := 0; e < qkK; e++ {
			h, s, j := e/128, (e/32)%4, e%32
			q := l[e]
			lo := q & 0xF
			if s >= 2 {
				lo <<= 4
			}
			b[64*h+32*(s&1)+j] |= lo
			b[128+32*h+j] |= (q >> 4) << (2 * s)
		}
	}
}
