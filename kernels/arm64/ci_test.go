package arm64

import (
	"os"
	"testing"
)

// skipUnlessCI skips the test, or fails it when the environment variable
// CI is set: a check that cannot run in CI is an error there, not a skip.
func skipUnlessCI(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so not skipping: %s", reason)
	}
	t.Skip(reason)
}
