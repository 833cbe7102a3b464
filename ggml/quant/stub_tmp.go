package quant

func quantQ2_K(src []float32, dst []byte)           {}
func quantQ3_K(src []float32, dst []byte)           {}
func quantQ4_K(src []float32, dst []byte)           {}
func quantQ5_K(src []float32, dst []byte)           {}
func quantQ6_K(src []float32, dst []byte)           {}
func actQ8_1(src []float32, dst []byte)             {}
func actQ8_K(src []float32, dst []byte)             {}
func dotQ2_KQ8_K(n int, w []byte, act []byte) float32 { return 0 }
func dotQ3_KQ8_K(n int, w []byte, act []byte) float32 { return 0 }
func dotQ4_KQ8_K(n int, w []byte, act []byte) float32 { return 0 }
func dotQ5_KQ8_K(n int, w []byte, act []byte) float32 { return 0 }
func dotQ6_KQ8_K(n int, w []byte, act []byte) float32 { return 0 }
