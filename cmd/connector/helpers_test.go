package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
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

// freeAddr is a loopback address free to listen on, for a connector whose own URL must be known
// before it starts (an OIDC redirect, a notification callback). Another process could take it in
// between; on a test machine that does not happen.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
