package amd64

// SetVNNI switches the VNNI forms of the kernels on or off (only where the
// CPU has them) and returns the previous setting, so that tests can run
// both forms.
func SetVNNI(on bool) bool {
	old := useVNNI
	useVNNI = on && hasVNNI
	return old
}

// HasVNNI reports whether the CPU runs the VNNI forms.
func HasVNNI() bool { return hasVNNI }
