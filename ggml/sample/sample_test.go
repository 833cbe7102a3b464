package sample

import (
	"math"
	"slices"
	"testing"
)

func ids(c []Candidate) []int32 {
	out := make([]int32, len(c))
	for i, x := range c {
		out[i] = x.ID
	}
	return out
}

func cands(logits ...float32) []Candidate {
	c := make([]Candidate, len(logits))
	for i, v := range logits {
		c[i] = Candidate{ID: int32(i), Logit: v}
	}
	return c
}

func TestGreedy(t *testing.T) {
	tests := []struct {
		name   string
		logits []float32
		want   int32
	}{
		{"single", []float32{3}, 0},
		{"max in middle", []float32{1, 5, 2}, 1},
		{"tie goes to lowest id", []float32{1, 5, 5, 5}, 1},
		{"negative", []float32{-3, -1, -2}, 1},
		{"last", []float32{0, 0, 0.5}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Greedy(tc.logits); got != tc.want {
				t.Errorf("Greedy = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestPenalize(t *testing.T) {
	tests := []struct {
		name                   string
		logits                 []float32
		window                 []int32
		repeat, freq, presence float32
		want                   []float32
	}{
		{"off", []float32{1, -1, 2}, []int32{0, 1}, 1, 0, 0, []float32{1, -1, 2}},
		{"repeat positive divides, negative multiplies", []float32{2, -1, 2}, []int32{0, 1}, 2, 0, 0, []float32{1, -2, 2}},
		{"repeat counts a token once", []float32{4, 0, 0}, []int32{0, 0, 0}, 2, 0, 0, []float32{2, 0, 0}},
		{"zero logit is multiplied", []float32{0, 1}, []int32{0}, 1.5, 0, 0, []float32{0, 1}},
		{"frequency per occurrence", []float32{1, 1, 1}, []int32{2, 2, 0}, 1, 0.5, 0, []float32{0.5, 1, 0}},
		{"presence once", []float32{1, 1, 1}, []int32{2, 2}, 1, 0, 0.25, []float32{1, 1, 0.75}},
		{"ids out of range ignored", []float32{1, 1}, []int32{-1, 7}, 2, 1, 1, []float32{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := append([]float32(nil), tc.logits...)
			Penalize(l, tc.window, tc.repeat, tc.freq, tc.presence)
			if !slices.Equal(l, tc.want) {
				t.Errorf("got %v, want %v", l, tc.want)
			}
		})
	}
}

func TestTopK(t *testing.T) {
	tests := []struct {
		name   string
		logits []float32
		k      int
		want   []int32
	}{
		{"k=2", []float32{1, 4, 3, 2}, 2, []int32{1, 2}},
		{"k=1", []float32{1, 4, 3, 2}, 1, []int32{1}},
		{"off keeps all sorted", []float32{1, 4, 3, 2}, 0, []int32{1, 2, 3, 0}},
		{"k larger than n", []float32{1, 4}, 9, []int32{1, 0}},
		{"ties by id", []float32{2, 2, 2}, 2, []int32{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(TopK(cands(tc.logits...), tc.k)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTopP(t *testing.T) {
	// ln of probabilities 0.5, 0.25, 0.15, 0.1.
	l := []float32{float32(math.Log(0.5)), float32(math.Log(0.25)), float32(math.Log(0.15)), float32(math.Log(0.1))}
	tests := []struct {
		name    string
		p       float32
		minKeep int
		want    []int32
	}{
		{"p=0.5 keeps the top one", 0.5, 1, []int32{0}},
		{"p=0.6 needs two", 0.6, 1, []int32{0, 1}},
		{"p=0.8 needs three", 0.8, 1, []int32{0, 1, 2}},
		{"p=0.95 needs all", 0.95, 1, []int32{0, 1, 2, 3}},
		{"min keep", 0.1, 3, []int32{0, 1, 2}},
		{"off", 1, 1, []int32{0, 1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cands(l...)
			// Shuffle the input order: TopP sorts.
			c[0], c[3] = c[3], c[0]
			got := ids(TopP(c, tc.p, tc.minKeep))
			if tc.p >= 1 {
				slices.Sort(got)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMinP(t *testing.T) {
	// Probabilities relative to the max: 1, 0.5, 0.1, 0.01.
	l := []float32{0, float32(math.Log(0.5)), float32(math.Log(0.1)), float32(math.Log(0.01))}
	tests := []struct {
		name    string
		p       float32
		minKeep int
		want    []int32
	}{
		{"0.05", 0.05, 1, []int32{0, 1, 2}},
		{"0.2", 0.2, 1, []int32{0, 1}},
		{"0.9", 0.9, 1, []int32{0}},
		{"off", 0, 1, []int32{0, 1, 2, 3}},
		{"min keep", 0.9, 2, []int32{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(MinP(cands(l...), tc.p, tc.minKeep)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTemperatureSoftmax(t *testing.T) {
	c := cands(2, 0)
	Temperature(c, 2)
	if c[0].Logit != 1 || c[1].Logit != 0 {
		t.Fatalf("Temperature(2) logits = %v, %v; want 1, 0", c[0].Logit, c[1].Logit)
	}
	Softmax(c)
	want := 1 / (1 + math.Exp(-1))
	if math.Abs(float64(c[0].P)-want) > 1e-6 || math.Abs(float64(c[0].P+c[1].P)-1) > 1e-6 {
		t.Errorf("Softmax P = %v, %v; want %v, %v", c[0].P, c[1].P, want, 1-want)
	}
}

func TestDraw(t *testing.T) {
	l := []float32{float32(math.Log(0.5)), float32(math.Log(0.3)), float32(math.Log(0.2))}
	tests := []struct {
		r    float64
		want int32
	}{{0, 0}, {0.49, 0}, {0.51, 1}, {0.79, 1}, {0.81, 2}, {0.999999, 2}}
	for _, tc := range tests {
		if got := Draw(cands(l...), tc.r); got != tc.want {
			t.Errorf("Draw(r=%v) = %d, want %d", tc.r, got, tc.want)
		}
	}
	if got := Draw(nil, 0.5); got != -1 {
		t.Errorf("Draw(empty) = %d, want -1", got)
	}
}

func TestSamplerGreedyWithPenalty(t *testing.T) {
	s := New(Params{RepeatPenalty: 4, RepeatLastN: 2})
	logits := []float32{1, 2, 1.5}
	if got := s.Sample(logits); got != 1 {
		t.Fatalf("first = %d, want 1", got)
	}
	s.Accept(1)
	if got := s.Sample(logits); got != 2 { // 2/4 = 0.5 < 1.5
		t.Fatalf("after penalty = %d, want 2", got)
	}
	s.Accept(2)
	s.Accept(2) // window of 2 now holds {2, 2}: token 1 is no longer penalized
	if got := s.Sample(logits); got != 1 {
		t.Fatalf("after window moved = %d, want 1", got)
	}
	if logits[1] != 2 {
		t.Errorf("Sample modified the caller's logits: %v", logits)
	}
}

func TestSamplerSeeded(t *testing.T) {
	logits := make([]float32, 50)
	for i := range logits {
		logits[i] = float32(math.Sin(float64(i)))
	}
	run := func(seed uint64) []int32 {
		s := New(Params{Temp: 1, TopK: 20, TopP: 0.95, MinP: 0.01, Seed: seed})
		var out []int32
		for range 40 {
			tok := s.Sample(logits)
			out = append(out, tok)
			s.Accept(tok)
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	if !slices.Equal(a, b) {
		t.Errorf("same seed gave different tokens:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 42 and 43 gave the same 40 tokens: %v", a)
	}
	// Top-k 20 restricts draws to the 20 largest logits.
	top := ids(TopK(cands(logits...), 20))
	for _, tok := range a {
		if !slices.Contains(top, tok) {
			t.Errorf("drew %d, not in the top 20", tok)
		}
	}
}

func TestSamplerTopKOneIsGreedy(t *testing.T) {
	logits := []float32{0.1, 0.9, 0.3, 0.9}
	s := New(Params{Temp: 0.7, TopK: 1, Seed: 7})
	for range 10 {
		if got := s.Sample(logits); got != 1 {
			t.Fatalf("top-k 1 drew %d, want 1", got)
		}
	}
}

func TestSamplerNoAllocs(t *testing.T) {
	logits := make([]float32, 1000)
	for i := range logits {
		logits[i] = float32(i%17) * 0.1
	}
	s := New(Params{Temp: 0.8, TopK: 40, TopP: 0.9, MinP: 0.05, RepeatPenalty: 1.1, Seed: 1})
	s.Sample(logits)
	n := testing.AllocsPerRun(20, func() {
		s.Accept(s.Sample(logits))
	})
	if n != 0 {
		t.Errorf("allocations per Sample = %v, want 0", n)
	}
}
