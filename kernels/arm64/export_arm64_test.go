package arm64

// SetSDOT switches the SDOT path on or off (on only takes effect where the
// CPU has it) and returns a function restoring the previous setting.
func SetSDOT(on bool) (restore func()) {
	old := useSDOT
	useSDOT = on && HasDotProd
	return func() { useSDOT = old }
}
