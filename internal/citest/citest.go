// Package citest is the rule every test that needs a tool or a service follows: without it the
// test skips, except in CI (CI=true), where .ci/run provides everything and its absence fails.
package citest

import (
	"os"
	"testing"
)

// Missing stops the test for the missing tool or service what: a skip, or in CI a failure.
func Missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: .ci/run provides it in CI", what)
	}
	t.Skip(what)
}
