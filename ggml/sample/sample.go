// Package sample owns next-token selection from a logit vector: greedy,
// repetition/frequency/presence penalties, top-k, top-p, min-p, temperature
// and a seeded random draw, with llama.cpp's semantics and chain order
// (penalties, top-k, top-p, min-p, temperature, draw).
//
// A Sampler reuses its buffers, so sampling allocates nothing after the
// first call for a given vocabulary size. The same Params (seed included)
// and the same logits always give the same tokens.
package sample

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Params selects the sampling steps. The zero value is greedy decoding.
type Params struct {
	Temp             float32 // <= 0: greedy (argmax, ties to the lowest id)
	TopK             int     // <= 0: off
	TopP             float32 // <= 0 or >= 1: off
	MinP             float32 // <= 0: off
	RepeatPenalty    float32 // 0 or 1: off; else logit/penalty if > 0, logit*penalty if <= 0
	FrequencyPenalty float32 // subtracted once per occurrence in the window
	PresencePenalty  float32 // subtracted once if the token occurs in the window
	RepeatLastN      int     // penalty window: the last N accepted tokens (0: 64, as llama.cpp)
	Seed             uint64  // seeds the random draw
}

// Candidate is one token under consideration.
type Candidate struct {
	ID    int32
	Logit float32
	P     float32 // probability, set by Softmax
}

// Sampler applies Params to logit vectors and remembers accepted tokens for
// the penalties. It is not safe for concurrent use.
type Sampler struct {
	p       Params
	rng     *rand.Rand
	history []int32 // the last RepeatLastN accepted tokens, oldest first
	logits  []float32
	cands   []Candidate
}

// New returns a Sampler for p.
func New(p Params) *Sampler {
	if p.RepeatLastN <= 0 {
		p.RepeatLastN = 64
	}
	return &Sampler{
		p:       p,
		rng:     rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15)),
		history: make([]int32, 0, p.RepeatLastN),
	}
}

// Accept records tok as generated (or as part of the prompt) for the
// penalty window.
func (s *Sampler) Accept(tok int32) {
	if len(s.history) == s.p.RepeatLastN {
		copy(s.history, s.history[1:])
		s.history = s.history[:len(s.history)-1]
	}
	s.history = append(s.history, tok)
}

// Reset forgets the accepted tokens (the RNG state is kept).
func (s *Sampler) Reset() { s.history = s.history[:0] }

// Sample picks the next token from logits (one value per vocabulary id).
// logits is not modified. It returns -1 only for an empty vector.
func (s *Sampler) Sample(logits []float32) int32 {
	if len(logits) == 0 {
		return -1
	}
	if cap(s.logits) < len(logits) {
		s.logits = make([]float32, len(logits))
		s.cands = make([]Candidate, len(logits))
	}
	l := s.logits[:len(logits)]
	copy(l, logits)
	Penalize(l, s.history, s.p.RepeatPenalty, s.p.FrequencyPenalty, s.p.PresencePenalty)
	if s.p.Temp <= 0 {
		return Greedy(l)
	}
	c := s.cands[:len(l)]
	for i, v := range l {
		c[i] = Candidate{ID: int32(i), Logit: v}
	}
	c = TopK(c, s.p.TopK)
	c = TopP(c, s.p.TopP, 1)
	c = MinP(c, s.p.MinP, 1)
	Temperature(c, s.p.Temp)
	return Draw(c, s.rng.Float64())
}

// Greedy returns the id of the largest logit; ties go to the lowest id.
func Greedy(logits []float32) int32 {
	best := 0
	for i, v := range logits {
		if v > logits[best] {
			best = i
		}
	}
	return int32(best)
}

// Penalize applies llama.cpp's penalties in place to logits (indexed by
// id) for the tokens in window: for each distinct token with count n,
// logit = logit/repeat if logit > 0 else logit*repeat (when repeat is not 0
// or 1), then logit -= n*freq + presence. Ids outside logits are ignored.
func Penalize(logits []float32, window []int32, repeat, freq, presence float32) {
	if (repeat == 0 || repeat == 1) && freq == 0 && presence == 0 {
		return
	}
	for i, tok := range window {
		if tok < 0 || int(tok) >= len(logits) || slices.Contains(window[:i], tok) {
			continue
		}
		n := 0
		for _, t := range window[i:] {
			if t == tok {
				n++
			}
		}
		v := logits[tok]
		if repeat != 0 && repeat != 1 {
			if v <= 0 {
				v *= repeat
			} else {
				v /= repeat
			}
		}
		v -= float32(n)*freq + presence
		logits[tok] = v
	}
}

// sortDesc orders c by logit, largest first, ties by lower id.
func sortDesc(c []Candidate) {
	slices.SortFunc(c, func(a, b Candidate) int {
		if a.Logit != b.Logit {
			return cmp.Compare(b.Logit, a.Logit)
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// TopK keeps the k candidates with the largest logits, sorted largest
// first. k <= 0 or k >= len(c) keeps all (still sorted).
func TopK(c []Candidate, k int) []Candidate {
	sortDesc(c)
	if k <= 0 || k >= len(c) {
		return c
	}
	return c[:k]
}

// Softmax sets each candidate's P from the logits (max subtracted, sum in
// float64).
func Softmax(c []Candidate) {
	if len(c) == 0 {
		return
	}
	max := c[0].Logit
	for _, x := range c {
		if x.Logit > max {
			max = x.Logit
		}
	}
	var sum float64
	for i := range c {
		e := math.Exp(float64(c[i].Logit - max))
		c[i].P = float32(e)
		sum += e
	}
	for i := range c {
		c[i].P = float32(float64(c[i].P) / sum)
	}
}

// TopP keeps the smallest prefix of the candidates, sorted largest first,
// whose probabilities sum to at least p, and at least minKeep candidates.
// p <= 0 or p >= 1 keeps all.
func TopP(c []Candidate, p float32, minKeep int) []Candidate {
	if p <= 0 || p >= 1 {
		return c
	}
	sortDesc(c)
	Softmax(c)
	var cum float64
	for i := range c {
		cum += float64(c[i].P)
		if cum >= float64(p) && i+1 >= minKeep {
			return c[:i+1]
		}
	}
	return c
}

// MinP keeps the candidates whose probability is at least p times the
// largest one (logit >= max + ln p), and at least minKeep (the largest).
// p <= 0 keeps all. The kept candidates keep their relative order.
func MinP(c []Candidate, p float32, minKeep int) []Candidate {
	if p <= 0 || len(c) == 0 {
		return c
	}
	max := c[0].Logit
	for _, x := range c {
		if x.Logit > max {
			max = x.Logit
		}
	}
	min := max + float32(math.Log(float64(p)))
	n := 0
	for _, x := range c {
		if x.Logit >= min {
			n++
		}
	}
	if n < minKeep {
		// Too few above the threshold: keep the minKeep best instead.
		sortDesc(c)
		return c[:min2(minKeep, len(c))]
	}
	n = 0
	for _, x := range c {
		if x.Logit >= min {
			c[n] = x
			n++
		}
	}
	return c[:n]
}

func min2(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// Temperature divides every logit by t (t > 0).
func Temperature(c []Candidate, t float32) {
	if t <= 0 {
		return
	}
	for i := range c {
		c[i].Logit /= t
	}
}

// Draw computes the candidates' probabilities and returns the id at which
// their running sum first exceeds r (r in [0, 1)); the last candidate if
// rounding leaves r beyond the total. It returns -1 for no candidates.
func Draw(c []Candidate, r float64) int32 {
	if len(c) == 0 {
		return -1
	}
	Softmax(c)
	var cum float64
	for _, x := range c {
		cum += float64(x.P)
		if r < cum {
			return x.ID
		}
	}
	return c[len(c)-1].ID
}
