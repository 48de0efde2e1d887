package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// missing stops a test that lacks a tool or resource: outside CI it skips, in CI (CI=true) it
// fails, because .ci/run provides everything the tests need.
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: .ci/run provides it in CI", what)
	}
	t.Skip(what)
}
