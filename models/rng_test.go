package main

import (
	"math"
	"testing"
)

// TestFillNormal checks the moments of the generator's output and that a seed
// always gives the same values.
func TestFillNormal(t *testing.T) {
	x := make([]float32, 1<<20+1) // odd length: the last pair is cut
	fillNormal(x, 7, 2)
	var s, ss, s4 float64
	for _, v := range x {
		s += float64(v)
		ss += float64(v) * float64(v)
		s4 += math.Pow(float64(v), 4)
	}
	n := float64(len(x))
	mean, variance := s/n, ss/n-(s/n)*(s/n)
	kurt := s4 / n / (variance * variance)
	if math.Abs(mean) > 0.01 || math.Abs(variance-4) > 0.02 || math.Abs(kurt-3) > 0.05 {
		t.Errorf("mean %v variance %v kurtosis %v, want 0, 4, 3", mean, variance, kurt)
	}
	y := make([]float32, 16)
	fillNormal(y, 7, 2)
	for i := range y {
		if y[i] != x[i] {
			t.Fatalf("value %d: %v then %v from the same seed", i, x[i], y[i])
		}
	}
	fillNormal(y, 8, 2)
	if y[0] == x[0] && y[1] == x[1] {
		t.Error("seeds 7 and 8 start the same")
	}
}

func BenchmarkFillNormal(b *testing.B) {
	x := make([]float32, 4096)
	b.SetBytes(int64(4 * len(x)))
	for i := 0; b.Loop(); i++ {
		fillNormal(x, uint64(i), 0.02)
	}
}
